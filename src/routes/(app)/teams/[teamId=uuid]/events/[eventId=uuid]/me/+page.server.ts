import * as tasks from '$lib/server/tasks';
import { requireUser } from '$lib/server/auth/guards';
import { action, rethrow } from '$lib/server/forms';
import { eventForm } from '$lib/server/event-request';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	return await tasks
		.getMyDay({ userId: user.id }, event.params.teamId, event.params.eventId)
		.catch(rethrow);
};

export const actions: Actions = {
	dismiss: async (event) => {
		const { scope, values } = await eventForm(event);
		return action(values, async () => {
			await tasks.dismissNotice(scope, values.noticeId ?? '');
			return { done: 'dismissed' as const };
		});
	}
};
