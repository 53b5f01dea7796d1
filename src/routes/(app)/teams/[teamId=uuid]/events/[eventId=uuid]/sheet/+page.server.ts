import * as events from '$lib/server/events';
import { requireUser } from '$lib/server/auth/guards';
import { rethrow } from '$lib/server/forms';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	for (const kind of ['event', 'agenda', 'groups']) {
		event.depends(`app:event:${event.params.eventId}:${kind}`);
	}
	return await events
		.getDaySheet({ userId: user.id }, event.params.teamId, event.params.eventId)
		.catch(rethrow);
};
