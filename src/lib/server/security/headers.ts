// Response headers every answer of the app carries. The Content-Security-Policy of pages is
// SvelteKit's own (`kit.csp` in svelte.config.js, with a nonce for each inline script it
// writes); only its `connect-src` is completed here, because where the browser's realtime
// socket goes (the app's own origin, or PUBLIC_SUPABASE_URL in supabase mode) is a runtime
// setting the build cannot know.

/** Two years, the preload list's minimum; no `includeSubDomains`: sibling hosts are not ours. */
const HSTS = 'max-age=63072000';

/**
 * For answers that are not pages (JSON, CSV, calendars, plain-text refusals): nothing in them
 * may run or load anything, nor be framed.
 */
const NON_PAGE_CSP =
	"default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * Paths whose URL carries a secret (the community contact's link, invite and reset links, the
 * calendar feed) or that a shared device must not keep (the public check-in page).
 */
const PRIVATE_LINK = /^\/(?:c|invite|reset|check-in|ics)\//;

export function isPrivateLinkPath(pathname: string): boolean {
	return PRIVATE_LINK.test(pathname);
}

/** `https:` → `wss:`, `http:` → `ws:`: the origin a WebSocket to `origin` has. */
function socketOrigin(origin: URL): string {
	return `${origin.protocol === 'https:' ? 'wss:' : 'ws:'}//${origin.host}`;
}

/**
 * Where the browser may connect: its own origin (`'self'` for fetches, the ws(s) form of it for
 * the realtime socket, which not every browser counts as `'self'`) and the realtime URL the
 * page hands supabase-js, over http(s) and ws(s), when it is another origin.
 */
export function connectSources(appOrigin: string, realtimeUrl?: string): string[] {
	const own = new URL(appOrigin);
	const sources = ["'self'", socketOrigin(own)];
	if (realtimeUrl) {
		const remote = new URL(realtimeUrl);
		if (remote.origin !== own.origin) sources.push(remote.origin, socketOrigin(remote));
	}
	return sources;
}

/** Replaces (or adds) the `connect-src` directive of a CSP header value. */
export function withConnectSrc(csp: string, sources: readonly string[]): string {
	const directive = `connect-src ${sources.join(' ')}`;
	const parts = csp
		.split(';')
		.map((part) => part.trim())
		.filter(Boolean);
	const at = parts.findIndex((part) => /^connect-src(\s|$)/i.test(part));
	if (at >= 0) parts[at] = directive;
	else parts.push(directive);
	return parts.join('; ');
}

export interface SecurityContext {
	/** The request's URL as the app sees it (adapter-node's ORIGIN and protocol header). */
	url: URL;
	/** A valid session came with the request. */
	isSignedIn: boolean;
	/** The URL the page hands supabase-js (PUBLIC_SUPABASE_URL), when set. */
	realtimeUrl?: string;
}

function isHtml(response: Response): boolean {
	return (response.headers.get('content-type') ?? '').toLowerCase().startsWith('text/html');
}

/** The answer hands out (or clears) a session cookie: no cache may keep it. */
function setsSession(headers: Headers): boolean {
	return headers.getSetCookie().some((cookie) => /^(__Host-)?session=/.test(cookie));
}

/** Sets the security headers on a response SvelteKit produced (its headers are mutable). */
export function applySecurityHeaders(response: Response, context: SecurityContext): Response {
	const { headers } = response;
	const csp = headers.get('content-security-policy');
	if (csp) {
		headers.set(
			'content-security-policy',
			withConnectSrc(csp, connectSources(context.url.origin, context.realtimeUrl))
		);
	} else if (!isHtml(response)) {
		headers.set('content-security-policy', NON_PAGE_CSP);
	} else {
		// A page SvelteKit did not render itself (its static fallback error page): no framing.
		headers.set('content-security-policy', "frame-ancestors 'none'");
	}
	headers.set('x-content-type-options', 'nosniff');
	headers.set('x-frame-options', 'DENY');
	// Not `no-referrer`: with it browsers send `Origin: null` on a form POST, which the CSRF
	// check refuses. A route may have chosen already; `same-origin` is the default everywhere.
	if (!headers.has('referrer-policy')) headers.set('referrer-policy', 'same-origin');
	if (context.url.protocol === 'https:') headers.set('strict-transport-security', HSTS);
	const cache = headers.get('cache-control') ?? '';
	if (
		(context.isSignedIn || isPrivateLinkPath(context.url.pathname) || setsSession(headers)) &&
		!/(^|,)\s*no-store\s*(,|$)/i.test(cache)
	) {
		headers.set('cache-control', 'no-store');
	}
	return response;
}
