// Guards read the request (locals set by hooks.server.ts) and hand the domain an explicit
// actor. They run in every load, action and endpoint that needs them, not only in layouts:
// a layout load does not run again for a form action.
import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import type { Session, SessionUser } from './session';

type GuardEvent = Pick<RequestEvent, 'locals' | 'url' | 'request'>;

/** Where to come back after signing in: the page itself, without a form action's `?/name`. */
function returnPath(event: GuardEvent): string {
	if (event.request.method !== 'GET' && event.request.method !== 'HEAD') return event.url.pathname;
	return event.url.pathname + event.url.search;
}

export function signInPath(redirectTo: string): string {
	return `/sign-in?${new URLSearchParams({ redirectTo })}`;
}

/** Pages and form actions: the signed-in user, or a 303 to sign-in that comes back here. */
export function requireUser(event: GuardEvent): SessionUser {
	return requireSession(event).user;
}

/** Like `requireUser`, with the session (to keep it when ending the user's others). */
export function requireSession(event: GuardEvent): { user: SessionUser; session: Session } {
	const { user, session } = event.locals;
	if (!user || !session) redirect(303, signInPath(returnPath(event)));
	return { user, session };
}

/** JSON endpoints: the signed-in user, or 401 (a redirect means nothing to `fetch`). */
export function requireApiUser(event: Pick<RequestEvent, 'locals'>): SessionUser {
	const { user } = event.locals;
	if (!user) error(401, m.auth_required({}, { locale: event.locals.locale }));
	return user;
}
