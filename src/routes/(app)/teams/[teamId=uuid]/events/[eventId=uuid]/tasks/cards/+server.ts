// The live board's narrow read: the cards a hint could not express (a new, edited or deleted
// task, my own placement moved, the claimant names), or with no `ids` every card (a resync),
// with the event's version read before them and my unread notices. Never the page's whole
// data (run of show, forms, layout); the same permission checks as the board.
import { json } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import * as tasks from '$lib/server/tasks';
import { requireUser } from '$lib/server/auth/guards';
import { jsonError } from '$lib/server/forms';
import type { RequestHandler } from './$types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const NO_STORE = { 'cache-control': 'no-store' };

export const GET: RequestHandler = async (event) => {
	const { locals, params, url } = event;
	const user = requireUser(event);
	const raw = url.searchParams.get('ids');
	const ids = raw === null ? undefined : [...new Set(raw.split(',').filter(Boolean))];
	if (ids && (ids.length > tasks.MAX_CARD_IDS || !ids.every((id) => UUID.test(id)))) {
		return json(
			{ error: 'invalid', message: m.tasks_error_card_ids({}, { locale: locals.locale }) },
			{ status: 400, headers: NO_STORE }
		);
	}
	try {
		const board = await tasks.getTaskBoard({ userId: user.id }, params.teamId, params.eventId, {
			ids
		});
		// A claim key for each card, as the page renders them (a new task's card needs one).
		const keys = Object.fromEntries(
			board.all.filter(() => board.isOpen).map((t) => [t.id, crypto.randomUUID()])
		);
		return json(
			{
				version: board.version,
				cards: board.all.map(tasks.toBoardCard),
				notices: board.notices,
				keys
			},
			{ headers: NO_STORE }
		);
	} catch (err) {
		const response = jsonError(err);
		response.headers.set('cache-control', 'no-store');
		return response;
	}
};
