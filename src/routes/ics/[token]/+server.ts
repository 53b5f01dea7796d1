import * as calendar from '$lib/server/calendar';
import { rethrow } from '$lib/server/forms';
import type { RequestHandler } from './$types';

// A calendar app subscribes with the secret in the URL (no session, no cookies).
export const GET: RequestHandler = async (event) => {
	const token = event.params.token.replace(/\.ics$/, '');
	const body = await calendar.renderFeed(token, event.url.origin).catch(rethrow);
	return new Response(body, {
		headers: {
			'content-type': 'text/calendar; charset=utf-8',
			'cache-control': 'private, max-age=300',
			'x-robots-tag': 'noindex'
		}
	});
};
