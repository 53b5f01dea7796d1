import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Cookies, RequestEvent, ResolveOptions } from '@sveltejs/kit';
import { readFileSync } from 'node:fs';
import {
	BASE_LANG_ATTRIBUTE,
	handleLocale,
	requestLocale
} from '../../src/lib/server/hooks/locale';
import { baseLocale, getLocale } from '../../src/lib/paraglide/runtime';
import * as m from '../../src/lib/paraglide/messages';

afterEach(() => {
	vi.restoreAllMocks();
});

/** A request event with real Request and Headers; cookies read from the Cookie header. */
function eventFor(init: { cookie?: string; acceptLanguage?: string; method?: string }) {
	const headers = new Headers();
	if (init.cookie) headers.set('cookie', init.cookie);
	if (init.acceptLanguage) headers.set('accept-language', init.acceptLanguage);
	const request = new Request('http://localhost/teams', {
		method: init.method ?? 'GET',
		headers,
		...(init.method === 'POST' ? { body: 'a=1', duplex: 'half' } : {})
	} as RequestInit);
	const jar = new Map(
		(init.cookie ?? '')
			.split(';')
			.filter(Boolean)
			.map((c) => c.trim().split('=') as [string, string])
	);
	const cookies = {
		get: (name: string) => jar.get(name),
		serialize: (name: string, value: string) => `${name}=${value}; Path=/`
	} as unknown as Cookies;
	return { request, url: new URL(request.url), cookies, locals: {} } as unknown as RequestEvent;
}

async function run(event: RequestEvent) {
	let seen: { request: Request; locale: string; message: string; html?: string } | undefined;
	const response = await handleLocale({
		event,
		resolve: async (e: RequestEvent, options?: ResolveOptions) => {
			seen = {
				request: e.request,
				locale: getLocale(),
				message: m.error_not_found(),
				html: (await options?.transformPageChunk?.({
					html: '<html lang="zh-CN">',
					done: true
				})) as string | undefined
			};
			return new Response('ok');
		}
	});
	return { response, seen: seen! };
}

describe('requestLocale', () => {
	it('takes the cookie first, then Accept-Language with every zh tag as zh-CN, then zh-CN', () => {
		expect(requestLocale('en', 'zh-CN')).toBe('en');
		expect(requestLocale('EN', null)).toBe('en');
		expect(requestLocale('fr', 'en-GB,en;q=0.8')).toBe('en');
		expect(requestLocale(undefined, 'zh-TW')).toBe('zh-CN');
		expect(requestLocale(undefined, 'fr;q=1, zh-Hant;q=0.9, en;q=0.5')).toBe('zh-CN');
		expect(requestLocale(undefined, 'fr, en;q=0.9, zh;q=0.8')).toBe('en');
		expect(requestLocale(undefined, 'fr, de')).toBe('zh-CN');
		expect(requestLocale(undefined, null)).toBe('zh-CN');
	});
});

describe('the locale hook', () => {
	it('passes the request on as it came, copying neither it nor its headers', async () => {
		const event = eventFor({ acceptLanguage: 'en-US,en;q=0.9', method: 'POST' });
		const original = event.request;
		const requests = vi.spyOn(globalThis, 'Request');
		const headers = vi.spyOn(globalThis, 'Headers');
		const { seen } = await run(event);
		expect(seen.request).toBe(original);
		expect(requests).not.toHaveBeenCalled();
		expect(headers).not.toHaveBeenCalled();
		expect(original.bodyUsed).toBe(false);
		expect(await original.text()).toBe('a=1');
	});

	it('renders in the negotiated language and tells the browser through the cookie', async () => {
		const event = eventFor({ acceptLanguage: 'en-US,en;q=0.9' });
		const { response, seen } = await run(event);
		expect(event.locals.locale).toBe('en');
		expect(seen.locale).toBe('en');
		expect(seen.message).toBe(m.error_not_found({}, { locale: 'en' }));
		expect(seen.html).toBe('<html lang="en">');
		expect(response.headers.get('set-cookie')).toBe('PARAGLIDE_LOCALE=en; Path=/');
		expect(response.headers.get('vary')).toBe('Cookie, Accept-Language');
	});

	it('keeps the cookie’s choice and sends no cookie again', async () => {
		const event = eventFor({ cookie: 'PARAGLIDE_LOCALE=zh-CN', acceptLanguage: 'en' });
		const { response, seen } = await run(event);
		expect(seen.locale).toBe('zh-CN');
		expect(seen.message).toBe(m.error_not_found({}, { locale: 'zh-CN' }));
		// The page goes out as rendered: app.html already says zh-CN.
		expect(seen.html).toBeUndefined();
		expect(response.headers.get('set-cookie')).toBeNull();
	});

	it('app.html names the base locale, the attribute the hook replaces for other languages', () => {
		const template = readFileSync(new URL('../../src/app.html', import.meta.url), 'utf8');
		expect(template).toContain(BASE_LANG_ATTRIBUTE);
		expect(BASE_LANG_ATTRIBUTE).toBe(`<html lang="${baseLocale}">`);
	});

	it('keeps each request’s language apart while they overlap', async () => {
		const slow = eventFor({ acceptLanguage: 'en' });
		const fast = eventFor({ acceptLanguage: 'zh' });
		const seen: string[] = [];
		const hold = (delay: number) => async () => {
			await new Promise((r) => setTimeout(r, delay));
			seen.push(getLocale());
			return new Response('ok');
		};
		await Promise.all([
			handleLocale({ event: slow, resolve: hold(30) }),
			handleLocale({ event: fast, resolve: hold(5) })
		]);
		expect(seen).toEqual(['zh-CN', 'en']);
	});
});
