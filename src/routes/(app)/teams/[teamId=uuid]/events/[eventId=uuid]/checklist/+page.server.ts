import * as events from '$lib/server/events';
import { eventLoad, saveAction } from '$lib/server/event-request';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => eventLoad(event, ['checklist'], events.getChecklist);

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
