import * as attendance from '$lib/server/attendance';
import * as incidents from '$lib/server/incidents';
import { requireUser } from '$lib/server/auth/guards';
import { action, rethrow } from '$lib/server/forms';
import { eventForm } from '$lib/server/event-request';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const { teamId, eventId } = event.params;
	const actor = { userId: user.id };
	event.depends(`app:event:${eventId}:attendance`, `app:event:${eventId}:groups`);
	event.depends(`app:event-staff:${eventId}:incidents`);
	const session = event.url.searchParams.get('session') === 'meeting' ? 'meeting' : 'day';
	const board = await attendance.getBoard(actor, teamId, eventId, session).catch(rethrow);
	const alerts = board.isStaff
		? await incidents.getAlerts(actor, teamId, eventId).catch(rethrow)
		: null;
	return { board, alerts, isBigScreen: event.url.searchParams.get('screen') === '1' };
};

export const actions: Actions = {
	mark: async (event) => {
		const f = await eventForm(event);
		return action({ ...f.values, action: 'mark' }, async () => {
			await attendance.checkInByHand(
				f.actor,
				f.teamId,
				f.eventId,
				f.values.userId ?? '',
				f.values.session
			);
			return { saved: 'marked' as const };
		});
	},
	unmark: async (event) => {
		const f = await eventForm(event);
		return action({ ...f.values, action: 'unmark' }, async () => {
			await attendance.checkOut(
				f.actor,
				f.teamId,
				f.eventId,
				f.values.userId ?? '',
				f.values.session
			);
			return { saved: 'unmarked' as const };
		});
	}
};
