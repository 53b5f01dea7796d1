import type { Handle } from '@sveltejs/kit';
import {
	deleteSessionCookie,
	readSessionCookie,
	setSessionCookie,
	validateSessionCached
} from '../auth/session';
import { isRealtimePath } from './paths';

export const handleSession: Handle = async ({ event, resolve }) => {
	event.locals.user = null;
	event.locals.session = null;
	if (isRealtimePath(event.url.pathname)) return resolve(event);
	const token = readSessionCookie(event);
	if (token === undefined) return resolve(event);
	const result = await validateSessionCached(token);
	if (!result) {
		deleteSessionCookie(event);
		return resolve(event);
	}
	if (result.renewed) setSessionCookie(event, token, result.session.expiresAt);
	event.locals.user = result.user;
	event.locals.session = result.session;
	return resolve(event);
};
