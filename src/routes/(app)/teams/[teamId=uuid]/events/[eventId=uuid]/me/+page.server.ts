import * as tasks from '$lib/server/tasks';
import { action } from '$lib/server/forms';
import { eventForm, eventLoad } from '$lib/server/event-request';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => eventLoad(event, [], tasks.getMyDay);

export const actions: Actions = {
	dismiss: async (event) => {
		const { scope, values } = await eventForm(event);
		return action(values, async () => {
			await tasks.dismissNotice(scope, values.noticeId ?? '');
			return { done: 'dismissed' as const };
		});
	}
};
