// My day's narrow read: my tasks and notices with the event's version read before them, for the
// page to apply a hint that moved my placement. Never the page's data (run of show, captains,
// layout); the same permission checks as My day.
import { json } from '@sveltejs/kit';
import * as tasks from '$lib/server/tasks';
import { requireUser } from '$lib/server/auth/guards';
import { jsonError } from '$lib/server/forms';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => {
	const user = requireUser(event);
	try {
		const body = await tasks.getMyTasks(
			{ userId: user.id },
			event.params.teamId,
			event.params.eventId
		);
		return json(body, { headers: { 'cache-control': 'no-store' } });
	} catch (err) {
		const response = jsonError(err);
		response.headers.set('cache-control', 'no-store');
		return response;
	}
};
