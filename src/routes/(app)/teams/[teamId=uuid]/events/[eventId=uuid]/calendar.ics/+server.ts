import * as calendar from '$lib/server/calendar';
import { requireUser } from '$lib/server/auth/guards';
import { rethrow } from '$lib/server/forms';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => {
	const user = requireUser(event);
	const { filename, body } = await calendar
		.eventCalendar({ userId: user.id }, event.params.teamId, event.params.eventId, event.url.origin)
		.catch(rethrow);
	return new Response(body, {
		headers: {
			'content-type': 'text/calendar; charset=utf-8',
			'content-disposition': `attachment; filename="${filename}"`,
			'cache-control': 'private, no-store'
		}
	});
};
