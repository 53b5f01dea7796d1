// The hooks one by one, each from its own module, with real Request and Response objects.
import { describe, expect, it } from 'vitest';
import type { Cookies, RequestEvent } from '@sveltejs/kit';
import { handleCsrf } from '../../src/lib/server/hooks/csrf';
import { handleRetryAfter } from '../../src/lib/server/hooks/retry-after';
import { handleRequestId } from '../../src/lib/server/hooks/request-id';
import * as m from '../../src/lib/paraglide/messages';

function eventFor(path: string, init: { method?: string; origin?: string; session?: boolean }) {
	const headers = new Headers();
	if (init.origin) headers.set('origin', init.origin);
	const request = new Request(`http://localhost${path}`, { method: init.method ?? 'GET', headers });
	const cookies = {
		get: (name: string) => (init.session && name === 'session' ? 'token' : undefined)
	} as unknown as Cookies;
	return {
		request,
		url: new URL(request.url),
		cookies,
		locals: { locale: 'en' }
	} as unknown as RequestEvent;
}

const ok = async () => new Response('through');

describe('handleCsrf', () => {
	it('refuses a cookie-carrying POST from another origin in the reader’s language', async () => {
		const response = await handleCsrf({
			event: eventFor('/teams', { method: 'POST', origin: 'http://evil.test', session: true }),
			resolve: ok
		});
		expect(response.status).toBe(403);
		expect(await response.text()).toBe(m.auth_csrf_forbidden({}, { locale: 'en' }));
	});

	it('lets through the same origin, a request without the cookie, a GET and the realtime paths', async () => {
		const cases = [
			eventFor('/teams', { method: 'POST', origin: 'http://localhost', session: true }),
			eventFor('/teams', { method: 'POST', origin: 'http://evil.test' }),
			eventFor('/teams', { origin: 'http://evil.test', session: true }),
			eventFor('/realtime/v1/api/broadcast', {
				method: 'POST',
				origin: 'http://evil.test',
				session: true
			})
		];
		for (const event of cases) {
			const response = await handleCsrf({ event, resolve: ok });
			expect(await response.text()).toBe('through');
		}
	});
});

describe('handleRetryAfter', () => {
	it('sends a 200 that carries Retry-After as 429, and leaves other answers alone', async () => {
		const event = eventFor('/c/x', {});
		const limited = await handleRetryAfter({
			event,
			resolve: async () => new Response('wait', { headers: { 'retry-after': '30' } })
		});
		expect(limited.status).toBe(429);
		expect(limited.headers.get('retry-after')).toBe('30');
		expect(await limited.text()).toBe('wait');
		const plain = await handleRetryAfter({ event, resolve: ok });
		expect(plain.status).toBe(200);
	});
});

describe('handleRequestId', () => {
	it('gives each request its own id and sends it back', async () => {
		const a = eventFor('/', {});
		const b = eventFor('/', {});
		const ra = await handleRequestId({ event: a, resolve: ok });
		const rb = await handleRequestId({ event: b, resolve: ok });
		expect(ra.headers.get('x-request-id')).toBe(a.locals.requestId);
		expect(a.locals.requestId).toMatch(/^[0-9a-f-]{36}$/);
		expect(b.locals.requestId).not.toBe(a.locals.requestId);
		expect(rb.headers.get('x-request-id')).toBe(b.locals.requestId);
	});
});
