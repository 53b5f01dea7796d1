import * as calendar from '$lib/server/calendar';
import { requireUser } from '$lib/server/auth/guards';
import { rethrow } from '$lib/server/forms';
import { download } from '$lib/server/download';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => {
	const user = requireUser(event);
	const file = await calendar
		.eventCalendar({ userId: user.id }, event.params.teamId, event.params.eventId, event.url.origin)
		.catch(rethrow);
	return download(file, 'text/calendar');
};
