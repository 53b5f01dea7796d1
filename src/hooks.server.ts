import { type Handle, type HandleServerError, type ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { building } from '$app/environment';
import { paraglideMiddleware } from '$lib/paraglide/server';
import { cookieMaxAge, cookieName, getLocale } from '$lib/paraglide/runtime';
import * as m from '$lib/paraglide/messages';
import { normalizeAcceptLanguage } from '$lib/i18n';
import { appEnv, startApp } from '$lib/server/app';
import { applySecurityHeaders } from '$lib/server/security/headers';
import {
	deleteSessionCookie,
	readSessionCookie,
	sessionCookieName,
	setSessionCookie,
	validateSessionToken
} from '$lib/server/auth/session';

export const init: ServerInit = async () => {
	if (!building) await startApp();
};

const handleRequestId: Handle = async ({ event, resolve }) => {
	event.locals.requestId = crypto.randomUUID();
	const response = await resolve(event);
	response.headers.set('x-request-id', event.locals.requestId);
	return response;
};

/**
 * Outermost but for the request id, so that every answer of the app (the CSRF refusal too)
 * carries the headers; `locals.user` is read after `resolve`, once the session handle ran.
 */
const handleSecurityHeaders: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	return applySecurityHeaders(response, {
		url: event.url,
		isSignedIn: event.locals.user != null,
		realtimeUrl: appEnv().publicSupabaseUrl
	});
};

/**
 * A rate-limited form action answers `fail(429)` with `Retry-After`, but SvelteKit sends an
 * enhanced action's failure as a 200 JSON body, and the contact page shows its "wait" notice
 * as a normal page. Whatever carries `Retry-After` (set only when the limiter refused) goes
 * out as 429; use:enhance reads the failure from the body either way.
 */
const handleRetryAfter: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	if (response.status !== 200 || !response.headers.has('retry-after')) return response;
	return new Response(response.body, { status: 429, headers: response.headers });
};

const handleLocale: Handle = ({ event, resolve }) => {
	// Paraglide only reads the headers; a body-less copy keeps the real request untouched.
	const headers = new Headers(event.request.headers);
	const accept = normalizeAcceptLanguage(headers.get('accept-language'));
	if (accept) headers.set('accept-language', accept);
	const localeRequest = new Request(event.request.url, { headers });
	return paraglideMiddleware(localeRequest, async ({ locale }) => {
		event.locals.locale = locale;
		const response = await resolve(event, {
			transformPageChunk: ({ html }) => html.replace('%paraglide.lang%', locale)
		});
		// The browser's Paraglide runtime reads the cookie, so it renders what the server did.
		if (!event.cookies.get(cookieName)) {
			response.headers.append(
				'set-cookie',
				event.cookies.serialize(cookieName, locale, {
					path: '/',
					maxAge: cookieMaxAge,
					sameSite: 'lax',
					httpOnly: false
				})
			);
		}
		response.headers.append('vary', 'Cookie, Accept-Language');
		return response;
	});
};

// The realtime endpoint authenticates by apikey and bearer JWT only, never by cookie.
const isRealtimePath = (pathname: string) => pathname.startsWith('/realtime/v1/');
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * SvelteKit's own origin check covers only form content types; a JSON or text body sent with
 * the session cookie would pass it. Any unsafe request carrying a session cookie must come
 * from this origin. Browsers send `Origin` with every such request.
 */
const handleCsrf: Handle = ({ event, resolve }) => {
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

const handleSession: Handle = async ({ event, resolve }) => {
	event.locals.user = null;
	event.locals.session = null;
	if (isRealtimePath(event.url.pathname)) return resolve(event);
	const token = readSessionCookie(event);
	if (token === undefined) return resolve(event);
	const result = await validateSessionToken(token);
	if (!result) {
		deleteSessionCookie(event);
		return resolve(event);
	}
	if (result.renewed) setSessionCookie(event, token, result.session.expiresAt);
	event.locals.user = result.user;
	event.locals.session = result.session;
	return resolve(event);
};

export const handle: Handle = sequence(
	handleRequestId,
	handleSecurityHeaders,
	handleRetryAfter,
	handleLocale,
	handleCsrf,
	handleSession
);

// Links carry secrets in their path (/c/<token>, /invite/<token>, ...): logs must never hold
// them, so every token-shaped path segment is masked before anything is written.
const TOKEN_SEGMENT = /(?<=\/)[a-z2-7]{26,64}(?![A-Za-z0-9_-])/g;
const redactTokens = (text: string) => text.replace(TOKEN_SEGMENT, '[token]');
function redactError(error: unknown, depth = 0): string {
	if (!(error instanceof Error)) return redactTokens(String(error));
	const text = redactTokens(error.stack ?? `${error.name}: ${error.message}`);
	return error.cause !== undefined && depth < 3
		? `${text}\nCaused by: ${redactError(error.cause, depth + 1)}`
		: text;
}

export const handleError: HandleServerError = ({ error, event, status, message }) => {
	const id = event.locals.requestId ?? crypto.randomUUID();
	if (status === 404) return { message: m.error_not_found(), id };
	if (status < 500) return { message, id };
	console.error(
		`[${id}] ${event.request.method} ${redactTokens(event.url.pathname)}`,
		redactError(error)
	);
	let text: string;
	try {
		text = m.error_unexpected({}, { locale: event.locals.locale ?? getLocale() });
	} catch (err) {
		console.error(`[${id}] could not localise the error message`, err);
		text = 'Something went wrong.';
	}
	return { message: text, id };
};
