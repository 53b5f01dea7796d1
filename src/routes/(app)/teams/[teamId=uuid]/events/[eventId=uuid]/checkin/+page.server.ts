import * as attendance from '$lib/server/attendance';
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
	checkIn: formAction('checkIn', ({ actor, eventId, values }, event) =>
		withRetryAfter(event, async () => {
			await attendance.checkInWithCode(actor, eventId, values, { queued: readQueued(values) });
			return { saved: 'checkedIn' as const };
		})
	),
	checkOut: saveAction('checkedOut', ({ actor, teamId, eventId, values }) =>
		attendance.checkOut(
			{ actor, teamId, eventId },
			actor.userId,
			values.session,
			new Date(),
			readQueued(values)
		)
	),
	settings: saveAction('settings', ({ actor, teamId, eventId, values }) =>
		attendance.updateDaySettings({ actor, teamId, eventId }, values)
	)
};
