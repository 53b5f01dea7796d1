// The request's language: the Paraglide cookie, else Accept-Language (every `zh*` tag as zh-CN),
// else the base locale, the order of the strategies in vite.config.ts. Read from the headers as
// they are: paraglideMiddleware would copy the request (headers and a tee of the body) to read
// two headers, on every request. Paraglide's own negotiation and request store are used, so
// `getLocale()` and messages without an explicit locale answer as before.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Handle, ResolveOptions } from '@sveltejs/kit';
import {
	baseLocale,
	cookieMaxAge,
	cookieName,
	extractLocaleFromHeader,
	getServerAsyncLocalStorage,
	overwriteServerAsyncLocalStorage,
	toLocale,
	type Locale
} from '$lib/paraglide/runtime';
import { normalizeAcceptLanguage } from '$lib/i18n';

type Store = NonNullable<ReturnType<typeof getServerAsyncLocalStorage>>;

function requestStore(): Store {
	let store = getServerAsyncLocalStorage();
	if (!store) {
		store = new AsyncLocalStorage() as unknown as Store;
		overwriteServerAsyncLocalStorage(store);
	}
	return store;
}

/** The locale a request asks for; `cookie` is the Paraglide cookie's value, if any. */
export function requestLocale(cookie: string | undefined, acceptLanguage: string | null): Locale {
	const fromCookie = toLocale(cookie);
	if (fromCookie) return fromCookie;
	const accept = normalizeAcceptLanguage(acceptLanguage);
	if (accept) {
		// Paraglide's negotiation reads only `headers.get('accept-language')`.
		const fromHeader = extractLocaleFromHeader({
			headers: { get: () => accept }
		} as unknown as Request);
		if (fromHeader) return fromHeader;
	}
	return baseLocale;
}

/**
 * src/app.html says `lang="zh-CN"`, the base locale and the language of most of the app's users:
 * a page in it goes out as rendered, and only a page in another language has that attribute
 * replaced. (Replacing a placeholder on every page copied the whole document, 80 KB on the task
 * board, once more per request before SvelteKit read it again for the ETag.)
 */
export const BASE_LANG_ATTRIBUTE = `<html lang="${baseLocale}">`;

function otherLanguage(locale: Locale): ResolveOptions {
	return {
		transformPageChunk: ({ html }) => html.replace(BASE_LANG_ATTRIBUTE, `<html lang="${locale}">`)
	};
}

export const handleLocale: Handle = async ({ event, resolve }) => {
	const cookie = event.cookies.get(cookieName);
	const locale = requestLocale(cookie, event.request.headers.get('accept-language'));
	event.locals.locale = locale;
	const response = await requestStore().run(
		{ locale, origin: event.url.origin, messageCalls: new Set<string>() },
		() => resolve(event, locale === baseLocale ? undefined : otherLanguage(locale))
	);
	// The browser's Paraglide runtime reads the cookie, so it renders what the server did.
	if (!cookie) {
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
};
