import * as incidents from '$lib/server/incidents';
import { requireUser } from '$lib/server/auth/guards';
import { withRetryAfter } from '$lib/server/auth/rate-limit';
import { rethrow } from '$lib/server/forms';
import { formAction, saveAction } from '$lib/server/event-request';
import { readQueued } from '$lib/server/outbox';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const { teamId, eventId } = event.params;
	// Staff hear hints on the staff topic; reporters' pages poll this dependency instead.
	event.depends(`app:event-staff:${eventId}:incidents`, `app:event:${eventId}:incidents`);
	event.setHeaders({ 'cache-control': 'no-store' });
	return await incidents.listIncidents({ userId: user.id }, teamId, eventId).catch(rethrow);
};

export const actions: Actions = {
	report: formAction('report', ({ scope, values }, event) =>
		withRetryAfter(event, async () => {
			await incidents.reportIncident(scope, values, new Date(), readQueued(values));
			return { saved: 'reported' as const };
		})
	),
	acknowledge: saveAction('acknowledged', ({ scope, values }) =>
		incidents.acknowledgeIncident(scope, values.incidentId ?? '')
	),
	resolve: saveAction('resolved', ({ scope, values }) =>
		incidents.resolveIncident(scope, values.incidentId ?? '', values.resolution)
	)
};
