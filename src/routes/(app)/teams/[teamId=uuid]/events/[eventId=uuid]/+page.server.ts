import * as events from '$lib/server/events';
import * as tasks from '$lib/server/tasks';
import * as contacts from '$lib/server/contacts';
import { requireUser } from '$lib/server/auth/guards';
import { rethrow } from '$lib/server/forms';
import { saveAction } from '$lib/server/event-request';
import { readQueued } from '$lib/server/outbox';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const id = event.params.eventId;
	for (const kind of ['event', 'announcements', 'agenda', 'contacts', 'tasks']) {
		event.depends(`app:event:${id}:${kind}`);
	}
	const actor = { userId: user.id };
	const [page, contact, performances] = await Promise.all([
		events.getEventPage(actor, event.params.teamId, id),
		contacts.getContactSummary(actor, event.params.teamId, id),
		tasks.listPerformanceStates(actor, event.params.teamId, id)
	]).catch(rethrow);
	return { ...page, contact, performances };
};

export const actions: Actions = {
	status: saveAction('status', ({ scope, values }) =>
		events.changeStatus(scope, values.status as events.EventStatus)
	),
	announce: saveAction('announcement', ({ scope, values }) =>
		events.postAnnouncement(scope, values, readQueued(values))
	),
	deleteAnnouncement: saveAction('deleted', ({ scope, values }) =>
		events.deleteAnnouncement(scope, values.announcementId ?? '')
	)
};
