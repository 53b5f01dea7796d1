import * as agenda from '$lib/server/agenda';
import * as attendance from '$lib/server/attendance';
import * as incidents from '$lib/server/incidents';
import { requireUser } from '$lib/server/auth/guards';
import { action, rethrow } from '$lib/server/forms';
import { eventForm } from '$lib/server/event-request';
import { readQueued } from '$lib/server/outbox';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const { teamId, eventId } = event.params;
	const actor = { userId: user.id };
	event.depends(`app:event:${eventId}:attendance`, `app:event:${eventId}:groups`);
	event.depends(`app:event-staff:${eventId}:incidents`, `app:event:${eventId}:checkin-code`);
	const session = event.url.searchParams.get('session') === 'meeting' ? 'meeting' : 'day';
	const isBigScreen = event.url.searchParams.get('screen') === '1';
	const board = await attendance.getBoard(actor, teamId, eventId, session).catch(rethrow);
	const [alerts, screen] = board.isStaff
		? await Promise.all([
				incidents.getAlerts(actor, teamId, eventId),
				// The wall monitor shows the check-in QR code beside the counts.
				isBigScreen
					? attendance.getCodeScreen(actor, teamId, eventId, session, event.url.origin)
					: null
			]).catch(rethrow)
		: [null, null];
	// A check-in code is only good for its window: never cache a page that shows one.
	if (screen) event.setHeaders({ 'cache-control': 'no-store' });
	// The wall shows what is on now and next in the run of show.
	let runOfShow: { id: string; startTime: string; durationMinutes: number; title: string }[] = [];
	if (isBigScreen) {
		event.depends(`app:event:${eventId}:agenda`);
		const page = await agenda.getAgenda(actor, teamId, eventId).catch(rethrow);
		runOfShow = page.items.map(({ id, startTime, durationMinutes, title }) => ({
			id,
			startTime,
			durationMinutes,
			title
		}));
	}
	return { board, alerts, screen, isBigScreen, runOfShow };
};

export const actions: Actions = {
	mark: async (event) => {
		const f = await eventForm(event);
		return action({ ...f.values, action: 'mark' }, async () => {
			await attendance.checkInByHand(
				f,
				f.values.userId ?? '',
				f.values.session,
				new Date(),
				readQueued(f.values)
			);
			return { saved: 'marked' as const };
		});
	},
	unmark: async (event) => {
		const f = await eventForm(event);
		return action({ ...f.values, action: 'unmark' }, async () => {
			await attendance.checkOut(
				f,
				f.values.userId ?? '',
				f.values.session,
				new Date(),
				readQueued(f.values)
			);
			return { saved: 'unmarked' as const };
		});
	}
};
