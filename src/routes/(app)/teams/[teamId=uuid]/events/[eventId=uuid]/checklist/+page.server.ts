import * as events from '$lib/server/events';
import { requireUser } from '$lib/server/auth/guards';
import { rethrow } from '$lib/server/forms';
import { saveAction } from '$lib/server/event-request';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	event.depends(`app:event:${event.params.eventId}:checklist`);
	return await events
		.getChecklist({ userId: user.id }, event.params.teamId, event.params.eventId)
		.catch(rethrow);
};

export const actions: Actions = {
	add: saveAction('added', ({ scope, values }) => events.addChecklistItem(scope, values)),
	assign: saveAction('assigned', ({ scope, values }) =>
		events.assignChecklistItem(scope, values.itemId ?? '', values.assigneeId || null)
	),
	done: saveAction('done', ({ scope, values }) =>
		events.setChecklistItemDone(scope, values.itemId ?? '', values.done === 'true')
	),
	remove: saveAction('removed', ({ scope, values }) =>
		events.removeChecklistItem(scope, values.itemId ?? '')
	)
};
