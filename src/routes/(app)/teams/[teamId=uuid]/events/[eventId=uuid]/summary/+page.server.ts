import { getEventSummary } from '$lib/server/summary';
import { requireUser } from '$lib/server/auth/guards';
import { rethrow } from '$lib/server/forms';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	for (const kind of ['event', 'attendance', 'tasks', 'donations', 'funding', 'incidents']) {
		event.depends(`app:event:${event.params.eventId}:${kind}`);
	}
	return await getEventSummary(
		{ userId: user.id },
		event.params.teamId,
		event.params.eventId
	).catch(rethrow);
};
