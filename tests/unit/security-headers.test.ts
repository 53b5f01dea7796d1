import { describe, expect, it } from 'vitest';
import {
	applySecurityHeaders,
	connectSources,
	isPrivateLinkPath,
	withConnectSrc
} from '../../src/lib/server/security/headers';

const KIT_CSP =
	"default-src 'self'; connect-src 'self'; script-src 'self' 'nonce-abc'; frame-ancestors 'none'";

function page(headers: Record<string, string> = {}) {
	return new Response('<!doctype html>', {
		headers: { 'content-type': 'text/html', 'content-security-policy': KIT_CSP, ...headers }
	});
}

function directive(csp: string | null, name: string): string | undefined {
	return csp
		?.split(';')
		.map((d) => d.trim())
		.find((d) => d.startsWith(`${name} `));
}

describe('connect-src', () => {
	it('lists the own origin over ws on http and over wss on https', () => {
		expect(connectSources('http://localhost:4173')).toEqual(["'self'", 'ws://localhost:4173']);
		expect(connectSources('https://tongxing.example')).toEqual([
			"'self'",
			'wss://tongxing.example'
		]);
	});

	it('adds the Supabase URL over https and wss, once', () => {
		expect(connectSources('https://tongxing.example', 'https://abc.supabase.co/')).toEqual([
			"'self'",
			'wss://tongxing.example',
			'https://abc.supabase.co',
			'wss://abc.supabase.co'
		]);
		// Self mode with PUBLIC_SUPABASE_URL set to the app itself adds nothing.
		expect(connectSources('http://localhost:3000', 'http://localhost:3000')).toEqual([
			"'self'",
			'ws://localhost:3000'
		]);
	});

	it('replaces only the connect-src directive of the header', () => {
		const csp = withConnectSrc(KIT_CSP, ["'self'", 'wss://a.example']);
		expect(csp).toBe(
			"default-src 'self'; connect-src 'self' wss://a.example; script-src 'self' 'nonce-abc'; frame-ancestors 'none'"
		);
		expect(withConnectSrc("default-src 'self'", ["'self'"])).toBe(
			"default-src 'self'; connect-src 'self'"
		);
	});
});

describe('security headers', () => {
	it('completes the page CSP and sets nosniff, referrer policy and framing', () => {
		const response = applySecurityHeaders(page(), {
			url: new URL('http://localhost:4173/sign-in'),
			isSignedIn: false,
			realtimeUrl: 'https://abc.supabase.co'
		});
		const csp = response.headers.get('content-security-policy');
		expect(directive(csp, 'connect-src')).toBe(
			"connect-src 'self' ws://localhost:4173 https://abc.supabase.co wss://abc.supabase.co"
		);
		expect(directive(csp, 'script-src')).toBe("script-src 'self' 'nonce-abc'");
		expect(response.headers.get('x-content-type-options')).toBe('nosniff');
		expect(response.headers.get('referrer-policy')).toBe('same-origin');
		expect(response.headers.get('x-frame-options')).toBe('DENY');
		expect(response.headers.get('strict-transport-security')).toBeNull();
		expect(response.headers.get('cache-control')).toBeNull();
	});

	it('sends HSTS only over https', () => {
		const response = applySecurityHeaders(page(), {
			url: new URL('https://tongxing.example/'),
			isSignedIn: false
		});
		expect(response.headers.get('strict-transport-security')).toMatch(/^max-age=\d{8,}$/);
	});

	it('keeps signed-in answers, private links and session cookies out of every cache', () => {
		const signedIn = applySecurityHeaders(
			page({ 'cache-control': 'public, max-age=0, must-revalidate' }),
			{ url: new URL('http://localhost/teams'), isSignedIn: true }
		);
		expect(signedIn.headers.get('cache-control')).toBe('no-store');
		for (const path of ['/c/abc/', '/invite/x', '/reset/x', '/check-in/x', '/ics/x']) {
			expect(isPrivateLinkPath(path), path).toBe(true);
		}
		expect(isPrivateLinkPath('/calendar')).toBe(false);
		const contact = applySecurityHeaders(page(), {
			url: new URL('http://localhost/c/abcdefghijklmnopqrstuvwxyz234567'),
			isSignedIn: false
		});
		expect(contact.headers.get('cache-control')).toBe('no-store');
		const cookie = new Response(null, { status: 303, headers: { location: '/teams' } });
		cookie.headers.append('set-cookie', 'session=abc; Path=/; HttpOnly');
		applySecurityHeaders(cookie, { url: new URL('http://localhost/sign-in'), isSignedIn: false });
		expect(cookie.headers.get('cache-control')).toBe('no-store');
		// A route's stricter choice stays.
		const kept = applySecurityHeaders(page({ 'cache-control': 'private, no-store' }), {
			url: new URL('http://localhost/x.csv'),
			isSignedIn: true
		});
		expect(kept.headers.get('cache-control')).toBe('private, no-store');
	});

	it('gives answers that are not pages a CSP that allows nothing', () => {
		const response = applySecurityHeaders(
			new Response('{}', { headers: { 'content-type': 'application/json' } }),
			{ url: new URL('http://localhost/api/health'), isSignedIn: false }
		);
		expect(response.headers.get('content-security-policy')).toBe(
			"default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
		);
		expect(response.headers.get('x-content-type-options')).toBe('nosniff');
	});

	it('keeps a referrer policy a route chose', () => {
		const response = applySecurityHeaders(page({ 'referrer-policy': 'no-referrer' }), {
			url: new URL('http://localhost/x'),
			isSignedIn: false
		});
		expect(response.headers.get('referrer-policy')).toBe('no-referrer');
	});
});
