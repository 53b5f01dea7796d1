/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
// The service worker (SvelteKit's own: `$service-worker` lists the build and static files). It
// keeps the app shell, keeps a copy of the day's pages a volunteer has opened, serves them when
// the network fails, and answers what the network cannot reach in a way the app can handle:
// a form post gets a "no connection" failure (the page keeps what was typed), a reload of the
// open page's data keeps the page as it is, a page never kept gets an offline page.
import { build, files, version } from '$service-worker';
import * as m from '$lib/paraglide/messages';
import { toLocaleOrBase } from '$lib/i18n';
import { formatClock } from '$lib/day-format';
import {
	keptPageKey,
	keptPageTimeZone,
	linkPageOf,
	OFFLINE_ANSWER,
	skipAllNodes
} from '$lib/pwa/offline-rules';

const sw = globalThis.self as unknown as ServiceWorkerGlobalScope;

const SHELL = `shell-${version}`;
/** The day's pages as last seen; not tied to a version (a new build still shows them). */
const PAGES = 'pages';
const META = 'meta';
const LOCALE_KEY = '/__tongxing/locale';
const USER_KEY = '/__tongxing/user';
/** A page slower than this on a poor connection: its kept copy is shown instead. */
const NAVIGATION_TIMEOUT_MS = 8_000;
const ASSETS = new Set([...build, ...files]);

sw.addEventListener('install', (event) => {
	event.waitUntil(
		caches
			.open(SHELL)
			.then((cache) => cache.addAll([...ASSETS]))
			.then(() => sw.skipWaiting())
	);
});

sw.addEventListener('activate', (event) => {
	event.waitUntil(
		(async () => {
			for (const key of await caches.keys()) {
				if (key.startsWith('shell-') && key !== SHELL) await caches.delete(key);
			}
			await sw.clients.claim();
		})()
	);
});

async function readMeta(key: string): Promise<string | null> {
	const hit = await (await caches.open(META)).match(key);
	return hit ? hit.text() : null;
}

async function writeMeta(key: string, value: string): Promise<void> {
	await (await caches.open(META)).put(key, new Response(value));
}

/** Another person's pages never show: a new user (or a sign-out) empties the kept pages. */
async function forgetPages(): Promise<void> {
	await caches.delete(PAGES);
}

sw.addEventListener('message', (event) => {
	const data = event.data as { type?: string; locale?: string; userId?: string } | null;
	if (data?.type === 'locale' && data.locale) {
		event.waitUntil(writeMeta(LOCALE_KEY, toLocaleOrBase(data.locale)));
	}
	if (data?.type === 'user' && data.userId) {
		const userId = data.userId;
		event.waitUntil(
			(async () => {
				if ((await readMeta(USER_KEY)) !== userId) {
					await forgetPages();
					await writeMeta(USER_KEY, userId);
				}
			})()
		);
	}
});

async function locale() {
	const kept = await readMeta(LOCALE_KEY);
	if (kept) return toLocaleOrBase(kept);
	return /^zh/i.test(sw.navigator.language) || !sw.navigator.language ? 'zh-CN' : 'en';
}

function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

async function offlinePage(): Promise<Response> {
	const lang = await locale();
	const t = (text: string) => escapeHtml(text);
	const html = `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="theme-color" content="#c2410c"><title>${t(m.offline_page_title({}, { locale: lang }))} · ${t(m.app_name({}, { locale: lang }))}</title>
<style>body{font-family:system-ui,sans-serif;margin:0;padding:1rem;color:#1f1a17;background:#fbf7f3;line-height:1.5}
main{max-width:40rem;margin:0 auto}a{display:inline-flex;align-items:center;min-height:44px;padding:0 1rem;margin:0.25rem 0.5rem 0 0;border-radius:8px;background:#b2400b;color:#fff;font-weight:600;text-decoration:none}
a.secondary{background:#fff;color:#b2400b;border:1px solid #b2400b}</style></head>
<body><main><h1>${t(m.offline_page_title({}, { locale: lang }))}</h1>
<p>${t(m.offline_page_body({}, { locale: lang }))}</p>
<p><a href="">${t(m.offline_page_retry({}, { locale: lang }))}</a><a class="secondary" href="/teams">${t(m.offline_page_home({}, { locale: lang }))}</a></p></main></body></html>`;
	return new Response(html, {
		status: 503,
		headers: {
			'content-type': 'text/html; charset=utf-8',
			'cache-control': 'no-store',
			'content-security-policy':
				"default-src 'self'; style-src 'unsafe-inline'; script-src 'none'; frame-ancestors 'none'"
		}
	});
}

/**
 * The kept copy, marked "offline · as of 10:42" in its own language. The mark is written into the
 * page's HTML, outside the app's root, so that it shows before (and without) the page's scripts too.
 */
async function keptCopy(key: string): Promise<Response | null> {
	const hit = await (await caches.open(PAGES)).match(key);
	if (!hit) return null;
	const html = await hit.text();
	const lang = toLocaleOrBase(/<html[^>]*\slang="([^"]+)"/.exec(html)?.[1] ?? (await locale()));
	const keptAt = new Date(hit.headers.get('x-tongxing-kept-at') ?? Date.now());
	const zone = keptPageTimeZone(html) ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
	const time = formatClock(keptAt, zone, lang);
	const mark =
		`<p role="status" data-testid="offline-mark" data-offline-copy style="margin:0;padding:0.375rem 0.75rem;` +
		`background:#3f3f46;color:#fff;font-weight:600;font-family:system-ui,sans-serif">` +
		`${escapeHtml(m.offline_mark({ time }, { locale: lang }))}</p>`;
	const marked = html.replace(/<body([^>]*)>/, (body) => `${body}${mark}`);
	return new Response(marked, { status: 200, headers: hit.headers });
}

async function keep(key: string, response: Response): Promise<void> {
	const headers = new Headers(response.headers);
	headers.set('x-tongxing-kept-at', new Date().toISOString());
	const body = await response.blob();
	await (await caches.open(PAGES)).put(key, new Response(body, { status: 200, headers }));
}

async function navigate(event: FetchEvent, url: URL): Promise<Response> {
	const key = keptPageKey(url);
	const network = fetch(event.request);
	try {
		let response: Response | null = null;
		if (key) {
			// On a poor connection the kept copy beats waiting; without one, the network it is.
			response = await Promise.race([
				network,
				new Promise<null>((resolve) => setTimeout(() => resolve(null), NAVIGATION_TIMEOUT_MS))
			]);
			if (!response) {
				const copy = await keptCopy(key);
				if (copy) return copy;
			}
		}
		response ??= await network;
		const isPage =
			response.ok &&
			!response.redirected &&
			(response.headers.get('content-type') ?? '').startsWith('text/html');
		if (key && isPage) {
			event.waitUntil(keep(key, response.clone()));
			keepLinkPage(event, url);
		}
		return response;
	} catch {
		return (key && (await keptCopy(key))) || offlinePage();
	}
}

/**
 * A page's data: the network. When it fails and the request is a refresh of the page already
 * open (an invalidation: a poll, a live hint), the page keeps what it shows — and what is typed
 * in it. For another page, a network error: SvelteKit then loads it as a whole page, which
 * `navigate` answers from the kept copy or with the offline page.
 */
/** A kept copy younger than this is not taken again when the page is reached by a link. */
const REKEEP_AFTER_MS = 2 * 60_000;

/**
 * A kept page reached by a link in the app loads only its data; its whole page is taken in the
 * background (at most every two minutes) so that it too opens without a connection.
 */
async function keepWholePage(pageUrl: URL): Promise<void> {
	const key = keptPageKey(pageUrl);
	if (!key) return;
	const hit = await (await caches.open(PAGES)).match(key);
	const keptAt = Date.parse(hit?.headers.get('x-tongxing-kept-at') ?? '');
	if (keptAt && Date.now() - keptAt < REKEEP_AFTER_MS) return;
	const response = await fetch(pageUrl, { credentials: 'same-origin', redirect: 'manual' });
	if (response.ok && (response.headers.get('content-type') ?? '').startsWith('text/html')) {
		await keep(key, response);
	}
}

/**
 * With each of a day's pages, the event's check-in link page (one shell, kept by path): the QR
 * scanned with the phone's camera then opens without a connection, and the check-in waits.
 */
function keepLinkPage(event: FetchEvent, pageUrl: URL): void {
	const link = linkPageOf(pageUrl);
	if (!link) return;
	event.waitUntil(
		keepWholePage(new URL(link, sw.location.origin)).catch((err: unknown) =>
			console.debug('not kept', err)
		)
	);
}

async function pageData(event: FetchEvent, url: URL): Promise<Response> {
	try {
		const response = await fetch(event.request);
		if (response.ok) {
			const pageUrl = new URL(url);
			pageUrl.pathname = url.pathname.replace(/\/__data\.json$/, '') || '/';
			pageUrl.searchParams.delete('x-sveltekit-invalidated');
			pageUrl.searchParams.delete('x-sveltekit-trailing-slash');
			event.waitUntil(
				keepWholePage(pageUrl).catch((err: unknown) => console.debug('not kept', err))
			);
			keepLinkPage(event, pageUrl);
		}
		return response;
	} catch {
		const client = event.clientId ? await sw.clients.get(event.clientId) : undefined;
		const pagePath = url.pathname.replace(/\/__data\.json$/, '') || '/';
		if (client && new URL(client.url).pathname === pagePath) {
			return new Response(skipAllNodes(url), {
				headers: { 'content-type': 'application/json' }
			});
		}
		return Response.error();
	}
}

/** A form posted with `use:enhance` that finds no network: a failure the page can show. */
async function formAction(event: FetchEvent): Promise<Response> {
	try {
		return await fetch(event.request);
	} catch {
		return new Response(OFFLINE_ANSWER, { headers: { 'content-type': 'application/json' } });
	}
}

sw.addEventListener('fetch', (event) => {
	const { request } = event;
	const url = new URL(request.url);
	if (url.origin !== sw.location.origin) return;
	if (request.method === 'POST') {
		if (url.pathname === '/sign-out') event.waitUntil(forgetPages());
		if (request.headers.get('x-sveltekit-action') === 'true') {
			event.respondWith(formAction(event));
		}
		return;
	}
	if (request.method !== 'GET') return;
	if (ASSETS.has(url.pathname)) {
		event.respondWith(
			caches
				.open(SHELL)
				.then((cache) => cache.match(url.pathname))
				.then((hit) => hit ?? fetch(request))
		);
		return;
	}
	if (request.mode === 'navigate') {
		event.respondWith(navigate(event, url));
		return;
	}
	if (url.pathname.endsWith('/__data.json')) event.respondWith(pageData(event, url));
});
