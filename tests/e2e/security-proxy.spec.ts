// The app behind a TLS-terminating proxy (ORIGIN https, client addresses from X-Forwarded-For):
// HSTS and the __Host- session cookie, and every guarded action of ARCHITECTURE.md answering
// 429 with Retry-After past its limit, with a message in the user's language. Its own server,
// so that the per-address limits it exhausts never touch the other specs' server.
import { expect, test } from '@playwright/test';
import { RATE_LIMITS } from '../../src/lib/server/auth/rate-limit';
import { signServiceRoleKey } from '../../src/lib/server/realtime/jwt';
import { startApp, stopApp, type RunningApp } from '../support/app-server';
import { Client, PASSWORD, unique } from './http-client';

const PORT = Number(process.env.E2E_PROXY_PORT ?? 4212);
const ORIGIN = `https://localhost:${PORT}`;
const JWT_SECRET = 'security-spec-jwt-secret-of-at-least-32-characters';

let server: RunningApp | undefined;
let addresses = 0;

/** A browser at its own address, signed out. */
function visitor(language?: string): Client {
	addresses += 1;
	return new Client(`http://localhost:${PORT}`, {
		publicOrigin: ORIGIN,
		address: `198.51.100.${addresses}`,
		language
	});
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
	server = await startApp({
		port: PORT,
		env: {
			ORIGIN,
			ADDRESS_HEADER: 'x-forwarded-for',
			XFF_DEPTH: '1',
			SUPABASE_JWT_SECRET: JWT_SECRET
		}
	});
});

test.afterAll(async () => {
	await stopApp(server);
});

test('over https: HSTS, a __Host- session cookie, and the headers of the plain-http app', async () => {
	const client = visitor();
	const page = await client.send('/sign-in');
	expect(page.status).toBe(200);
	expect(page.headers.get('strict-transport-security')).toMatch(/^max-age=\d{8,}$/);
	expect(page.headers.get('content-security-policy')).toContain(
		`connect-src 'self' wss://localhost:${PORT};`
	);
	const signUp = await client.postForm('/sign-up?/signUp', {
		email: `proxy-${unique()}@example.test`,
		displayName: '代理',
		password: PASSWORD
	});
	expect(signUp.status).toBe(303);
	const cookie = signUp.headers.getSetCookie().find((c) => c.startsWith('__Host-session='));
	expect(cookie).toMatch(/; Path=\/;.*HttpOnly; Secure; SameSite=Lax/);
	expect(cookie).not.toMatch(/Domain=/i);
	expect(signUp.headers.get('cache-control')).toBe('no-store');
	const teams = await client.send('/teams');
	expect(teams.status).toBe(200);
	expect(teams.headers.get('cache-control')).toBe('no-store');
	expect(teams.headers.get('strict-transport-security')).toBeTruthy();
});

/** A refused answer: 429, Retry-After in whole seconds within the window, and the message. */
async function expectLimited(response: Response, windowSeconds: number, message: RegExp) {
	expect(response.status).toBe(429);
	const retryAfter = Number(response.headers.get('retry-after'));
	expect(Number.isInteger(retryAfter)).toBe(true);
	expect(retryAfter).toBeGreaterThan(0);
	expect(retryAfter).toBeLessThanOrEqual(windowSeconds);
	expect(await response.text()).toMatch(message);
}

const MORNING = { title: '走进社区', date: '2026-07-15', startTime: '09:00', endTime: '12:00' };

const ZH = /尝试次数过多，请 \d+ 秒后再试。/;
const EN = /Too many attempts\. Please try again in \d+ seconds\./;

/**
 * Sends `attempt` `count` times, `parallel` at once (counting is atomic, so the order does not
 * matter); none of them may be refused yet.
 */
async function exhaust(count: number, attempt: () => Promise<Response>, parallel = 1) {
	for (let sent = 0; sent < count; sent += parallel) {
		const batch = Array.from({ length: Math.min(parallel, count - sent) }, attempt);
		for (const response of await Promise.all(batch)) {
			expect(response.status, `attempts up to ${sent + parallel} of ${count}`).not.toBe(429);
			await response.arrayBuffer();
		}
	}
}

/**
 * `limit` enhanced posts of `form` to `path` pass; the next, plain and enhanced alike, answer
 * 429 with Retry-After and the message in Chinese.
 */
async function expectThrottledAfter(
	client: Client,
	path: string,
	form: Record<string, string>,
	{ limit, windowSeconds }: { limit: number; windowSeconds: number }
) {
	await exhaust(limit, () => client.postEnhanced(path, form));
	await expectLimited(await client.postForm(path, form), windowSeconds, ZH);
	await expectLimited(await client.postEnhanced(path, form), windowSeconds, ZH);
}

test('sign-in: plain and enhanced forms, in either language', async () => {
	const { limit, windowSeconds } = RATE_LIMITS.signIn;
	const owner = visitor();
	await owner.signUp();
	const email = `limited-${unique()}@example.test`;
	const client = visitor('en');
	const wrong = { email, password: 'not the password at all' };
	await exhaust(limit, () => client.postForm('/sign-in?/signIn', wrong));
	// Without JavaScript: the page again, with the message.
	await expectLimited(await client.postForm('/sign-in?/signIn', wrong), windowSeconds, EN);
	// With use:enhance: SvelteKit's JSON failure, with the HTTP status and header too.
	const enhanced = await client.postEnhanced('/sign-in?/signIn', wrong);
	expect(enhanced.headers.get('content-type')).toMatch(/^application\/json/);
	await expectLimited(enhanced, windowSeconds, /"type":"failure","status":429/);
	const zh = new Client(client.origin, { publicOrigin: ORIGIN, address: client.address });
	await expectLimited(await zh.postForm('/sign-in?/signIn', wrong), windowSeconds, ZH);
});

const WRONG = 'not the password at all';

test('sign-in throttling: many addresses against one account, then the owner’s device during the attack', async () => {
	const { limit, windowSeconds } = RATE_LIMITS.signInAccount;
	const owner = visitor();
	const email = await owner.signUp();
	// Set at each successful sign-in (sign-up signs in): signed, HttpOnly, __Host- over https.
	const device = owner.cookies.get('__Host-device');
	expect(device).toBeTruthy();
	const signIn = await owner.signIn(email);
	expect(signIn.status).toBe(303);
	const cookie = signIn.headers.getSetCookie().find((c) => c.startsWith('__Host-device='));
	expect(cookie).toMatch(/; Path=\/;.*HttpOnly; Secure; SameSite=Lax/);
	expect(owner.cookies.get('__Host-device')).not.toBe(device);

	// The attack: each guess from an address of its own (a fresh 10 each under the old rule).
	const attackers = Array.from({ length: limit }, () => visitor());
	for (const attacker of attackers) {
		const response = await attacker.postForm('/sign-in?/signIn', { email, password: WRONG });
		expect(response.status).toBe(400);
	}
	// Now the account is held for every browser without its device cookie, right password too.
	await expectLimited(await visitor('en').signIn(email), windowSeconds, EN);
	await expectLimited(await attackers[0].signIn(email), windowSeconds, ZH);
	// The owner's browser, even from an attacker's address (one campus NAT), gets in.
	const ownBrowser = new Client(owner.origin, {
		publicOrigin: ORIGIN,
		address: attackers[0].address
	});
	ownBrowser.cookies.set('__Host-device', owner.cookies.get('__Host-device')!);
	expect((await ownBrowser.signIn(email)).status).toBe(303);
	// A copied cookie with a forged signature is no device cookie.
	const forger = visitor();
	forger.cookies.set('__Host-device', `${owner.cookies.get('__Host-device')!.slice(0, -4)}AAAA`);
	await expectLimited(await forger.signIn(email), windowSeconds, ZH);
});

test('sign-in throttling: one address against many accounts', async () => {
	const { limit, windowSeconds } = RATE_LIMITS.signInAddress;
	const member = visitor();
	const email = await member.signUp();
	const sprayer = visitor();
	// One password tried at many accounts (password spraying), as parallel as a script would.
	await exhaust(
		limit,
		() =>
			sprayer.postForm('/sign-in?/signIn', {
				email: `sprayed-${unique()}@example.test`,
				password: 'Summer2026!'
			}),
		5
	);
	await expectLimited(await sprayer.signIn(email), windowSeconds, ZH);
	const enhanced = await sprayer.postEnhanced('/sign-in?/signIn', { email, password: PASSWORD });
	await expectLimited(enhanced, windowSeconds, /"type":"failure","status":429/);
	// Another address is not held, nor is the account.
	expect((await visitor().signIn(email)).status).toBe(303);
});

test('sign-up, per address', async () => {
	const { limit, windowSeconds } = RATE_LIMITS.signUp;
	const client = visitor();
	const email = await client.signUp();
	client.cookies.clear(); // signed out: a signed-in browser is sent on from sign-up
	// The same address again and again (a taken email still counts: it costs a hash).
	const form = { email, displayName: '重复', password: PASSWORD };
	await exhaust(limit - 1, () => client.postEnhanced('/sign-up?/signUp', form), 4);
	await expectLimited(await client.postForm('/sign-up?/signUp', form), windowSeconds, ZH);
	await expectLimited(await client.postEnhanced('/sign-up?/signUp', form), windowSeconds, ZH);
	// Another address is not affected.
	expect((await visitor().postForm('/sign-up?/signUp', form)).status).not.toBe(429);
});

test('password change, per user', async () => {
	const { limit, windowSeconds } = RATE_LIMITS.passwordChange;
	const client = visitor();
	await client.signUp();
	const form = { currentPassword: 'not my password', newPassword: 'a new good password' };
	await exhaust(limit, () => client.postEnhanced('/account?/changePassword', form));
	await expectLimited(await client.postForm('/account?/changePassword', form), windowSeconds, ZH);
	await expectLimited(
		await client.postEnhanced('/account?/changePassword', form),
		windowSeconds,
		ZH
	);
});

test('password reset links, per address', async () => {
	const { limit, windowSeconds } = RATE_LIMITS.passwordReset;
	const client = visitor();
	const path = `/reset/${'a'.repeat(32)}?/reset`;
	const form = { newPassword: 'a new good password' };
	await expectThrottledAfter(client, path, form, { limit, windowSeconds });
});

test('invite codes, per address', async () => {
	const { limit, windowSeconds } = RATE_LIMITS.inviteCode;
	const client = visitor();
	await client.signUp();
	const path = `/invite/${'b'.repeat(32)}?/join`;
	await expectThrottledAfter(client, path, {}, { limit, windowSeconds });
});

test('check-in codes, per address before sign-in and per user after', async () => {
	const { limit, windowSeconds } = RATE_LIMITS.checkInCode;
	const path = `/check-in/${crypto.randomUUID()}?/checkIn`;
	const form = { session: 'day', code: '000000' };
	const stranger = visitor();
	await expectThrottledAfter(stranger, path, form, { limit, windowSeconds });

	const captain = visitor();
	await captain.signUp();
	const teamId = await captain.createTeam();
	const eventId = await captain.createPlannedEvent(teamId, MORNING);
	const checkIn = `/teams/${teamId}/events/${eventId}/checkin?/checkIn`;
	await expectThrottledAfter(captain, checkIn, form, { limit, windowSeconds });
});

test('incident reports, per user', async () => {
	const { limit, windowSeconds } = RATE_LIMITS.incidentReport;
	const client = visitor();
	await client.signUp();
	const teamId = await client.createTeam();
	const eventId = await client.createPlannedEvent(teamId, MORNING);
	const path = `/teams/${teamId}/events/${eventId}/incidents?/report`;
	const form = { category: 'other', severity: 'low', description: '投影仪没有电' };
	await expectThrottledAfter(client, path, form, { limit, windowSeconds });
});

test('the contact link, per address: the page and its answers', async () => {
	const { limit, windowSeconds } = RATE_LIMITS.contactLink;
	const client = visitor();
	const path = `/c/${'c'.repeat(32)}`;
	await exhaust(limit, () => client.send(path));
	const page = await client.send(path);
	expect(page.headers.get('cache-control')).toBe('no-store');
	await expectLimited(page, windowSeconds, /\d+ 秒/);
	await expectLimited(await client.postForm(`${path}?/confirm`, {}), windowSeconds, ZH);
	await expectLimited(await client.postEnhanced(`${path}?/confirm`, {}), windowSeconds, ZH);
});

test('the realtime token endpoint, per session', async () => {
	const { limit, windowSeconds } = RATE_LIMITS.tokenEndpoint;
	const client = visitor('en');
	await client.signUp();
	await exhaust(limit, () => client.send('/api/realtime/token'));
	const refused = await client.send('/api/realtime/token');
	expect(refused.headers.get('cache-control')).toBe('no-store');
	await expectLimited(refused, windowSeconds, /"error":"rate_limited".*Too many attempts/);
});

test('REST broadcast, per key', async () => {
	const { limit, windowSeconds } = RATE_LIMITS.broadcast;
	const client = visitor('en');
	const key = await signServiceRoleKey(JWT_SECRET);
	const send = () =>
		client.send('/realtime/v1/api/broadcast', {
			method: 'POST',
			origin: null,
			headers: { 'content-type': 'application/json', apikey: key },
			body: JSON.stringify({
				messages: [{ topic: `team:${crypto.randomUUID()}`, event: 'hint', payload: {} }]
			})
		});
	const first = await send();
	expect(first.status).toBe(202);
	await exhaust(limit - 1, send);
	await expectLimited(await send(), windowSeconds, /"error":"rate_limited".*Too many attempts/);
});
