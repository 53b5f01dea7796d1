// The live attendance board's narrow read: the rows of the people a hint named (`ids`), or with
// no `ids` the board alone (a resync after a gap or a reconnect), with the event's version read
// before them. Never the page's data (alerts, the code screen, the run of show, the layout);
// the same permission checks as the board.
import { json } from '@sveltejs/kit';
import * as attendance from '$lib/server/attendance';
import { requireUser } from '$lib/server/auth/guards';
import { jsonError } from '$lib/server/forms';
import type { RequestHandler } from './$types';

const NO_STORE = { 'cache-control': 'no-store' };

export const GET: RequestHandler = async (event) => {
	const { params, url } = event;
	const user = requireUser(event);
	const raw = url.searchParams.get('ids');
	const ids = raw === null ? undefined : [...new Set(raw.split(','))];
	try {
		const body = await attendance.getBoardPeople(
			{ userId: user.id },
			params.teamId,
			params.eventId,
			url.searchParams.get('session') ?? 'day',
			ids
		);
		return json(body, { headers: NO_STORE });
	} catch (err) {
		const response = jsonError(err);
		response.headers.set('cache-control', 'no-store');
		return response;
	}
};
