import * as contacts from '$lib/server/contacts';
import { rethrow } from '$lib/server/forms';
import { download } from '$lib/server/download';
import * as rateLimit from '$lib/server/auth/rate-limit';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => {
	const file = await rateLimit
		.withRetryAfter(event, () =>
			contacts.withLinkLimit(event.getClientAddress(), () =>
				contacts.contactCalendar(event.params.token, event.url.origin)
			)
		)
		.catch(rethrow);
	return download(file, 'text/calendar', {
		'cache-control': 'no-store',
		'referrer-policy': 'same-origin'
	});
};
