import * as attendance from '$lib/server/attendance';
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
	const actor = { userId: user.id };
	event.depends(`app:event:${eventId}:attendance`, `app:event:${eventId}:checkin-code`);
	event.depends(`app:event-staff:${eventId}:incidents`);
	const session = event.url.searchParams.get('session') === 'meeting' ? 'meeting' : 'day';
	const mine = await attendance.getMyAttendance(actor, teamId, eventId).catch(rethrow);
	if (!mine.isStaff) return { ...mine, session, screen: null, alerts: null, settings: null };
	const [screen, alerts, settings] = await Promise.all([
		attendance.getCodeScreen(actor, teamId, eventId, session, event.url.origin),
		incidents.getAlerts(actor, teamId, eventId),
		mine.isCaptain ? attendance.getDaySettings(actor, teamId, eventId) : null
	]).catch(rethrow);
	// The code must never be cached: it is only good for a minute.
	event.setHeaders({ 'cache-control': 'no-store' });
	return { ...mine, session, screen, alerts, settings };
};

export const actions: Actions = {
	checkIn: async (event) => {
		const f = await eventForm(event);
		return action({ ...f.values, action: 'checkIn' }, () =>
			withRetryAfter(event, async () => {
				await attendance.checkInWithCode(f.actor, f.eventId, f.values, {
					queued: readQueued(f.values)
				});
				return { saved: 'checkedIn' as const };
			})
		);
	},
	checkOut: async (event) => {
		const f = await eventForm(event);
		return action({ ...f.values, action: 'checkOut' }, async () => {
			await attendance.checkOut(
				f.actor,
				f.teamId,
				f.eventId,
				f.actor.userId,
				f.values.session,
				new Date(),
				readQueued(f.values)
			);
			return { saved: 'checkedOut' as const };
		});
	},
	settings: async (event) => {
		const f = await eventForm(event);
		return action({ ...f.values, action: 'settings' }, async () => {
			await attendance.updateDaySettings(f.actor, f.teamId, f.eventId, f.values);
			return { saved: 'settings' as const };
		});
	}
};
