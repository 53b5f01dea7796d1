import * as attendance from '$lib/server/attendance';
import { requireUser } from '$lib/server/auth/guards';
import { rethrow } from '$lib/server/forms';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	event.depends(`app:event:${event.params.eventId}:attendance`);
	return await attendance
		.getEventHours({ userId: user.id }, event.params.teamId, event.params.eventId)
		.catch(rethrow);
};
