// Whole app processes on PostgreSQL. Two instances on one database: a change made through one
// reaches a supabase-js client connected to the other (each instance's hub LISTENs; NOTIFY
// reaches them all). And supabase mode against a Supabase-shaped database.
import { expect, test } from '@playwright/test';
import postgres from 'postgres';
import { createClient } from '@supabase/supabase-js';
import { WebSocket } from 'ws';
import { startApp, type RunningApp } from '../support/app-server';
import { createDatabase, createSupabaseShapedDatabase } from '../support/databases';
import { Client, PASSWORD } from './http-client';

const adminUrl = process.env.TEST_DATABASE_URL;
// Three ports from E2E_INSTANCES_PORT on (default 4291–4293); the tests run one at a time.
const basePort = Number(process.env.E2E_INSTANCES_PORT ?? 4291);
const [portA, portB, portSupabase] = [basePort, basePort + 1, basePort + 2];

// These tests need a real PostgreSQL server (whole processes on one database), so they skip on a
// laptop without TEST_DATABASE_URL; with CI=true they never skip: a missing URL fails them.
test.skip(!adminUrl && !process.env.CI, 'needs TEST_DATABASE_URL (PostgreSQL)');

/** Two instances on one database, started together: they migrate once, under the advisory lock. */
const startPair = (databaseUrl: string, env: Record<string, string> = {}) =>
	Promise.all([portA, portB].map((port) => startApp({ port, databaseUrl, env })));

test('a change through one instance reaches a client connected to the other', async () => {
	expect(adminUrl, 'TEST_DATABASE_URL must be set with CI=true').toBeTruthy();
	const database = await createDatabase(adminUrl!, 'tongxing_instances');
	const instances: RunningApp[] = [];
	const clients: { removeAllChannels(): Promise<unknown> }[] = [];
	try {
		instances.push(...(await startPair(database.url)));
		const [a, b] = instances.map((instance) => instance.origin);

		const captain = new Client(a);
		await captain.signUp({ name: '林晓' });
		expect(captain.cookies.has('session')).toBe(true);
		const teamId = await captain.createTeam('两个实例的服务队');
		expect(teamId).toBeTruthy();

		// The browser's part, against instance B: a token from B, the shared anon key.
		const tokenResponse = await captain.at(b).send('/api/realtime/token');
		expect(tokenResponse.status).toBe(200);
		const { token } = (await tokenResponse.json()) as { token: string };
		const db = postgres(database.url, { max: 1 });
		const [{ value: anonKey }] = await db<{ value: string }[]>`
			select value from app_setting where key = 'realtime.anon_key'`;
		await db.end();

		const client = createClient(b, anonKey, {
			accessToken: async () => token,
			realtime: { transport: WebSocket as never }
		});
		clients.push(client);
		await client.realtime.setAuth(token);
		const hints: unknown[] = [];
		const channel = client.channel(`team:${teamId}`, { config: { private: true } });
		channel.on('broadcast', { event: 'hint' }, ({ payload }) => hints.push(payload));
		await new Promise<void>((resolve, reject) => {
			channel.subscribe((status, err) => {
				if (status === 'SUBSCRIBED') resolve();
				else if (status === 'CHANNEL_ERROR') reject(err ?? new Error(status));
			});
		});

		const started = Date.now();
		const invite = await captain.postForm(`/teams/${teamId}?/createInvite`, { role: 'volunteer' });
		expect(invite.status).toBe(200);
		await expect.poll(() => hints.length, { timeout: 2_000 }).toBeGreaterThan(0);
		expect(hints[0]).toMatchObject({ kinds: ['invites'] });
		expect(Date.now() - started).toBeLessThan(2_000);

		// Who is here lists the people of both instances: a tab on A and one on B (the same
		// person, told apart by their presence keys) each see the other's.
		const tabOn = async (origin: string, key: string) => {
			const c = createClient(origin, anonKey, {
				accessToken: async () => token,
				realtime: { transport: WebSocket as never }
			});
			clients.push(c);
			await c.realtime.setAuth(token);
			const ch = c.channel(`team:${teamId}`, { config: { private: true, presence: { key } } });
			ch.on('presence', { event: 'sync' }, () => {});
			await new Promise<void>((resolve, reject) => {
				ch.subscribe((status, err) => {
					if (status === 'SUBSCRIBED') resolve();
					else if (status === 'CHANNEL_ERROR') reject(err ?? new Error(status));
				});
			});
			expect(await ch.track({ name: key })).toBe('ok');
			return ch;
		};
		const onA = await tabOn(a, 'tab-on-a');
		const onB = await tabOn(b, 'tab-on-b');
		const keys = (ch: typeof onA) => Object.keys(ch.presenceState()).sort().join();
		await expect.poll(() => keys(onA), { timeout: 3_000 }).toBe('tab-on-a,tab-on-b');
		await expect.poll(() => keys(onB), { timeout: 3_000 }).toBe('tab-on-a,tab-on-b');
		// Instance A shuts down: B's tab no longer lists the tab that was on A.
		await instances[0].stop();
		await expect.poll(() => keys(onB), { timeout: 3_000 }).toBe('tab-on-b');
	} finally {
		for (const client of clients) await client.removeAllChannels();
		await Promise.all(instances.map((instance) => instance.stop()));
		await database.drop();
	}
});

test('a sign-out or password change on one instance is honoured by the other on the next request', async () => {
	expect(adminUrl, 'TEST_DATABASE_URL must be set with CI=true').toBeTruthy();
	const database = await createDatabase(adminUrl!, 'tongxing_signout');
	const instances: RunningApp[] = [];
	try {
		// Long enough that only an invalidation, never the cache's own expiry, can explain a refusal.
		instances.push(...(await startPair(database.url, { SESSION_CACHE_MS: '60000' })));
		const [a, b] = instances.map((instance) => instance.origin);
		// `tab` holds the cookies it was given: a sign-out elsewhere does not clear them.
		const isSignedIn = async (tab: Client) => {
			const response = await tab.send('/account');
			if (response.status === 200) return true;
			expect(response.status).toBe(303);
			return false;
		};
		const signIn = async (email: string) => {
			const device = new Client(a);
			expect((await device.signIn(email)).status).toBe(303);
			return device;
		};

		const person = new Client(a);
		const email = await person.signUp({ name: '林晓' });
		const onB = person.at(b);
		// B validates the session and keeps it in its cache.
		expect(await isSignedIn(onB)).toBe(true);
		expect(await isSignedIn(onB)).toBe(true);

		const signOut = await person.postForm('/sign-out', {});
		expect(signOut.status).toBe(303);
		// On the other instance, as soon as its NOTIFY arrives: it is sent on commit, before the
		// 303, but reaches B's listener a few ms later, and a request can beat it on a busy
		// machine (seen once in CI). Bounded to 1 s; closing that window is noted on issue 19.
		await expect.poll(() => isSignedIn(onB), { timeout: 1_000 }).toBe(false);

		// A password change on A ends the laptop's session on B; the phone's stays, on both.
		const phone = await signIn(email);
		const laptop = await signIn(email);
		const [phoneOnA, phoneOnB, laptopOnB] = [phone.at(a), phone.at(b), laptop.at(b)];
		expect(await isSignedIn(phoneOnB)).toBe(true);
		expect(await isSignedIn(laptopOnB)).toBe(true);
		const changed = await phone.postEnhanced('/account?/changePassword', {
			currentPassword: PASSWORD,
			newPassword: 'another good long password'
		});
		expect(await changed.text()).toContain('"type":"success"');
		await expect.poll(() => isSignedIn(laptopOnB), { timeout: 1_000 }).toBe(false);
		expect(await isSignedIn(phoneOnB)).toBe(true);
		expect(await isSignedIn(phoneOnA)).toBe(true);
	} finally {
		await Promise.all(instances.map((instance) => instance.stop()));
		await database.drop();
	}
});

test('supabase mode: the browser gets the Supabase URL and the app serves no realtime endpoint', async () => {
	// Hosted Supabase cannot be reached from here: the database is shaped like a Supabase
	// project (tests/fixtures/supabase-shape.sql) and the browser is never pointed at the URL.
	expect(adminUrl, 'TEST_DATABASE_URL must be set with CI=true').toBeTruthy();
	const database = await createSupabaseShapedDatabase(adminUrl!, 'tongxing_supabase');
	const supabaseUrl = 'https://tongxing-test.supabase.co';
	let app: RunningApp | undefined;
	try {
		app = await startApp({
			port: portSupabase,
			databaseUrl: database.url,
			env: {
				REALTIME: 'supabase',
				PUBLIC_SUPABASE_URL: supabaseUrl,
				PUBLIC_SUPABASE_ANON_KEY: 'anon-key-of-the-project',
				SUPABASE_JWT_SECRET: 'the-projects-legacy-jwt-secret-at-least-32-chars'
			}
		});
		const captain = new Client(app.origin);
		await captain.signUp({ name: '林晓' });
		const teamId = await captain.createTeam('Supabase 模式');
		const html = await (await captain.send(`/teams/${teamId}`)).text();
		expect(html).toContain(supabaseUrl);
		expect(html).toContain('anon-key-of-the-project');

		// Tokens for Supabase Realtime: signed with the project's secret, 5 minutes.
		const tokenResponse = await captain.send('/api/realtime/token');
		const { token, expiresAt } = (await tokenResponse.json()) as {
			token: string;
			expiresAt: number;
		};
		expect(token.split('.')).toHaveLength(3);
		expect(expiresAt - Date.now()).toBeLessThanOrEqual(5 * 60 * 1000);
		expect(expiresAt - Date.now()).toBeGreaterThan(4 * 60 * 1000);

		const status = await new Promise<number>((resolve, reject) => {
			const ws = new WebSocket(
				`ws://localhost:${portSupabase}/realtime/v1/websocket?apikey=anon-key-of-the-project&vsn=2.0.0`
			);
			ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
			ws.on('open', () => {
				ws.close();
				resolve(101);
			});
			ws.on('error', reject);
		});
		expect(status).toBe(404);
	} finally {
		await app?.stop();
		await database.drop();
	}
});
