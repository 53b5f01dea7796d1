import * as contacts from '$lib/server/contacts';
import { rethrow } from '$lib/server/forms';
import * as rateLimit from '$lib/server/auth/rate-limit';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => {
	const { filename, body } = await rateLimit
		.withRetryAfter(event, () =>
			contacts.withLinkLimit(event.getClientAddress(), () =>
				contacts.contactCalendar(event.params.token, event.url.origin)
			)
		)
		.catch(rethrow);
	return new Response(body, {
		headers: {
			'content-type': 'text/calendar; charset=utf-8',
			'content-disposition': `attachment; filename="${filename}"`,
			'cache-control': 'no-store',
			'referrer-policy': 'same-origin'
		}
	});
};
