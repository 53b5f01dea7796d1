import type { Handle } from '@sveltejs/kit';
import { appEnv } from '../app';
import { applySecurityHeaders } from '../security/headers';

/**
 * Outermost but for the request id, so that every answer of the app (the CSRF refusal too)
 * carries the headers; `locals.user` is read after `resolve`, once the session handle ran.
 */
export const handleSecurityHeaders: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	return applySecurityHeaders(response, {
		url: event.url,
		isSignedIn: event.locals.user != null,
		realtimeUrl: appEnv().publicSupabaseUrl
	});
};
