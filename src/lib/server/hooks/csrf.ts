import type { Handle } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import { sessionCookieName } from '../auth/session';
import { isRealtimePath, UNSAFE_METHODS } from './paths';

/**
 * SvelteKit's own origin check covers only form content types; a JSON or text body sent with
 * the session cookie would pass it. Any unsafe request carrying a session cookie must come
 * from this origin. Browsers send `Origin` with every such request.
 */
export const handleCsrf: Handle = ({ event, resolve }) => {
	const { request, url } = event;
	if (
		UNSAFE_METHODS.has(request.method) &&
		!isRealtimePath(url.pathname) &&
		event.cookies.get(sessionCookieName(url)) !== undefined &&
		request.headers.get('origin') !== url.origin
	) {
		return new Response(m.auth_csrf_forbidden({}, { locale: event.locals.locale }), {
			status: 403,
			headers: { 'content-type': 'text/plain; charset=utf-8' }
		});
	}
	return resolve(event);
};
