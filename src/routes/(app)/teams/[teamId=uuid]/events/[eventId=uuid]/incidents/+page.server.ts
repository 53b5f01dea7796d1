import * as incidents from '$lib/server/incidents';
import { requireUser } from '$lib/server/auth/guards';
import { withRetryAfter } from '$lib/server/auth/rate-limit';
import { action, rethrow } from '$lib/server/forms';
import { eventForm } from '$lib/server/event-request';
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
	report: async (event) => {
		const f = await eventForm(event);
		return action({ ...f.values, action: 'report' }, () =>
			withRetryAfter(event, async () => {
				await incidents.reportIncident(f.scope, f.values, new Date(), readQueued(f.values));
				return { saved: 'reported' as const };
			})
		);
	},
	acknowledge: async (event) => {
		const f = await eventForm(event);
		return action({ ...f.values, action: 'acknowledge' }, async () => {
			await incidents.acknowledgeIncident(f.scope, f.values.incidentId ?? '');
			return { saved: 'acknowledged' as const };
		});
	},
	resolve: async (event) => {
		const f = await eventForm(event);
		return action({ ...f.values, action: 'resolve' }, async () => {
			await incidents.resolveIncident(f.scope, f.values.incidentId ?? '', f.values.resolution);
			return { saved: 'resolved' as const };
		});
	}
};
