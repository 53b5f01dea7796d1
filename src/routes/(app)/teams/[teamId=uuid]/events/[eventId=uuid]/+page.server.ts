import * as events from '$lib/server/events';
import * as tasks from '$lib/server/tasks';
import * as contacts from '$lib/server/contacts';
import { eventLoad, saveAction } from '$lib/server/event-request';
import { readQueued } from '$lib/server/outbox';
import type { Actions, PageServerLoad } from './$types';

const KINDS = ['event', 'announcements', 'agenda', 'contacts', 'tasks'];

export const load: PageServerLoad = (event) =>
	eventLoad(event, KINDS, async (actor, teamId, eventId) => {
		const [page, contact, performances] = await Promise.all([
			events.getEventPage(actor, teamId, eventId),
			contacts.getContactSummary(actor, teamId, eventId),
			tasks.listPerformanceStates(actor, teamId, eventId)
		]);
		return { ...page, contact, performances };
	});

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
