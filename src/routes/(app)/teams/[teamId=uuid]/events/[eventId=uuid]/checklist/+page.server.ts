import * as events from '$lib/server/events';
import { requireUser } from '$lib/server/auth/guards';
import { action, rethrow } from '$lib/server/forms';
import { eventForm } from '$lib/server/event-request';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	event.depends(`app:event:${event.params.eventId}:checklist`);
	return await events
		.getChecklist({ userId: user.id }, event.params.teamId, event.params.eventId)
		.catch(rethrow);
};

export const actions: Actions = {
	add: async (event) => {
		const { scope, values } = await eventForm(event);
		return action(values, async () => {
			await events.addChecklistItem(scope, values);
			return { saved: 'added' as const };
		});
	},
	assign: async (event) => {
		const { scope, values } = await eventForm(event);
		return action(values, async () => {
			const assignee = values.assigneeId || null;
			await events.assignChecklistItem(scope, values.itemId ?? '', assignee);
			return { saved: 'assigned' as const };
		});
	},
	done: async (event) => {
		const { scope, values } = await eventForm(event);
		return action(values, async () => {
			const done = values.done === 'true';
			await events.setChecklistItemDone(scope, values.itemId ?? '', done);
			return { saved: 'done' as const };
		});
	},
	remove: async (event) => {
		const { scope, values } = await eventForm(event);
		return action(values, async () => {
			await events.removeChecklistItem(scope, values.itemId ?? '');
			return { saved: 'removed' as const };
		});
	}
};
