// Whole app processes on PostgreSQL. Two instances on one database: a change made through one
// reaches a supabase-js client connected to the other (each instance's hub LISTENs; NOTIFY
// reaches them all). And supabase mode against a Supabase-shaped database.
import { expect, test } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import postgres from 'postgres';
import { createClient } from '@supabase/supabase-js';
import { WebSocket } from 'ws';

const adminUrl = process.env.TEST_DATABASE_URL;
// Three ports from E2E_INSTANCES_PORT on (default 4291–4293); the tests run one at a time.
const basePort = Number(process.env.E2E_INSTANCES_PORT ?? 4291);
const [portA, portB, portSupabase] = [basePort, basePort + 1, basePort + 2];

// These tests need a real PostgreSQL server (whole processes on one database), so they skip on a
// laptop without TEST_DATABASE_URL; with CI=true they never skip: a missing URL fails them.
test.skip(!adminUrl && !process.env.CI, 'needs TEST_DATABASE_URL (PostgreSQL)');

function withDatabase(url: string, name: string): string {
	const u = new URL(url);
	u.pathname = `/${name}`;
	return u.toString();
}

async function startInstance(
	port: number,
	databaseUrl: string,
	extraEnv: Record<string, string> = {}
): Promise<ChildProcess> {
	const child = spawn(process.execPath, ['server.js'], {
		env: {
			...process.env,
			PORT: String(port),
			ORIGIN: `http://localhost:${port}`,
			DATABASE_URL: databaseUrl,
			...extraEnv
		},
		stdio: ['ignore', 'inherit', 'inherit']
	});
	for (let i = 0; i < 100; i++) {
		const ok = await fetch(`http://localhost:${port}/api/health`).then(
			(r) => r.ok,
			() => false
		);
		if (ok) return child;
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
	child.kill();
	throw new Error(`instance on ${port} did not start`);
}

async function post(origin: string, path: string, form: Record<string, string>, cookie = '') {
	return fetch(`${origin}${path}`, {
		method: 'POST',
		redirect: 'manual',
		headers: {
			origin,
			cookie,
			accept: 'text/html',
			'content-type': 'application/x-www-form-urlencoded'
		},
		body: new URLSearchParams(form)
	});
}

test('a change through one instance reaches a client connected to the other', async () => {
	expect(adminUrl, 'TEST_DATABASE_URL must be set with CI=true').toBeTruthy();
	const admin = postgres(adminUrl!, { max: 1, onnotice: () => {} });
	const name = `tongxing_instances_${Date.now().toString(36)}`;
	await admin.unsafe(`create database "${name}"`);
	const databaseUrl = withDatabase(adminUrl!, name);
	const instances: ChildProcess[] = [];
	const clients: { removeAllChannels(): Promise<unknown> }[] = [];
	try {
		// Started together: they migrate once, under the advisory lock.
		instances.push(
			...(await Promise.all([startInstance(portA, databaseUrl), startInstance(portB, databaseUrl)]))
		);
		const [a, b] = [`http://localhost:${portA}`, `http://localhost:${portB}`];

		const signUp = await post(a, '/sign-up?/signUp', {
			email: `multi-${Date.now()}@example.test`,
			displayName: '林晓',
			password: 'volunteer-day-2026'
		});
		expect(signUp.status).toBe(303);
		const cookie = (signUp.headers.get('set-cookie') ?? '').split(';')[0];
		expect(cookie).toMatch(/session=/);

		const created = await post(a, '/teams?/create', { name: '两个实例的服务队' }, cookie);
		expect(created.status).toBe(303);
		const teamId = /\/teams\/([0-9a-f-]{36})/.exec(created.headers.get('location') ?? '')?.[1];
		expect(teamId).toBeTruthy();

		// The browser's part, against instance B: a token from B, the shared anon key.
		const tokenResponse = await fetch(`${b}/api/realtime/token`, { headers: { cookie } });
		expect(tokenResponse.status).toBe(200);
		const { token } = (await tokenResponse.json()) as { token: string };
		const db = postgres(databaseUrl, { max: 1 });
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
		const invite = await post(a, `/teams/${teamId}?/createInvite`, { role: 'volunteer' }, cookie);
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
		const [instanceA] = instances;
		const exited = new Promise((resolve) => instanceA.once('exit', resolve));
		instanceA.kill('SIGTERM');
		await exited;
		await expect.poll(() => keys(onB), { timeout: 3_000 }).toBe('tab-on-b');
	} finally {
		for (const client of clients) await client.removeAllChannels();
		const running = instances.filter((child) => child.exitCode === null && !child.signalCode);
		for (const child of running) child.kill('SIGTERM');
		await Promise.all(
			running.map((child) => new Promise((resolve) => child.once('exit', resolve)))
		);
		await admin.unsafe(`drop database if exists "${name}" with (force)`);
		await admin.end();
	}
});

test('a sign-out or password change on one instance is honoured by the other on the next request', async () => {
	expect(adminUrl, 'TEST_DATABASE_URL must be set with CI=true').toBeTruthy();
	const admin = postgres(adminUrl!, { max: 1, onnotice: () => {} });
	const name = `tongxing_signout_${Date.now().toString(36)}`;
	await admin.unsafe(`create database "${name}"`);
	const databaseUrl = withDatabase(adminUrl!, name);
	const instances: ChildProcess[] = [];
	// Long enough that only an invalidation, never the cache's own expiry, can explain a refusal.
	const env = { SESSION_CACHE_MS: '60000' };
	try {
		instances.push(
			...(await Promise.all([
				startInstance(portA, databaseUrl, env),
				startInstance(portB, databaseUrl, env)
			]))
		);
		const [a, b] = [`http://localhost:${portA}`, `http://localhost:${portB}`];
		const isSignedIn = async (origin: string, cookie: string) => {
			const response = await fetch(`${origin}/account`, {
				redirect: 'manual',
				headers: { cookie }
			});
			if (response.status === 200) return true;
			expect(response.status).toBe(303);
			return false;
		};
		const signIn = async (email: string, password: string) => {
			const response = await post(a, '/sign-in?/signIn', { email, password });
			expect(response.status).toBe(303);
			return (response.headers.get('set-cookie') ?? '').split(';')[0];
		};

		const email = `signout-${Date.now()}@example.test`;
		const signUp = await post(a, '/sign-up?/signUp', {
			email,
			displayName: '林晓',
			password: 'volunteer-day-2026'
		});
		expect(signUp.status).toBe(303);
		const cookie = (signUp.headers.get('set-cookie') ?? '').split(';')[0];
		// B validates the session and keeps it in its cache.
		expect(await isSignedIn(b, cookie)).toBe(true);
		expect(await isSignedIn(b, cookie)).toBe(true);

		const signOut = await post(a, '/sign-out', {}, cookie);
		expect(signOut.status).toBe(303);
		// On the other instance, as soon as its NOTIFY arrives: it is sent on commit, before the
		// 303, but reaches B's listener a few ms later, and a request can beat it on a busy
		// machine (seen once in CI). Bounded to 1 s; closing that window is noted on issue 19.
		await expect.poll(() => isSignedIn(b, cookie), { timeout: 1_000 }).toBe(false);

		// A password change on A ends the laptop's session on B; the phone's stays, on both.
		const phone = await signIn(email, 'volunteer-day-2026');
		const laptop = await signIn(email, 'volunteer-day-2026');
		expect(await isSignedIn(b, phone)).toBe(true);
		expect(await isSignedIn(b, laptop)).toBe(true);
		const changed = await fetch(`${a}/account?/changePassword`, {
			method: 'POST',
			headers: {
				origin: a,
				cookie: phone,
				accept: 'application/json',
				'x-sveltekit-action': 'true',
				'content-type': 'application/x-www-form-urlencoded'
			},
			body: new URLSearchParams({
				currentPassword: 'volunteer-day-2026',
				newPassword: 'another good long password'
			})
		});
		expect(await changed.text()).toContain('"type":"success"');
		await expect.poll(() => isSignedIn(b, laptop), { timeout: 1_000 }).toBe(false);
		expect(await isSignedIn(b, phone)).toBe(true);
		expect(await isSignedIn(a, phone)).toBe(true);
	} finally {
		for (const child of instances) child.kill('SIGTERM');
		await Promise.all(
			instances.map((child) => new Promise((resolve) => child.once('exit', resolve)))
		);
		await admin.unsafe(`drop database if exists "${name}" with (force)`);
		await admin.end();
	}
});

test('supabase mode: the browser gets the Supabase URL and the app serves no realtime endpoint', async () => {
	// Hosted Supabase cannot be reached from here: the database is shaped like a Supabase
	// project (tests/fixtures/supabase-shape.sql) and the browser is never pointed at the URL.
	expect(adminUrl, 'TEST_DATABASE_URL must be set with CI=true').toBeTruthy();
	const admin = postgres(adminUrl!, { max: 1, onnotice: () => {} });
	const name = `tongxing_supabase_${Date.now().toString(36)}`;
	await admin.unsafe(`create database "${name}"`);
	const databaseUrl = withDatabase(adminUrl!, name);
	const shape = postgres(databaseUrl, { max: 1, onnotice: () => {} });
	for (const statement of readFileSync('tests/fixtures/supabase-shape.sql', 'utf8').split(
		/-->\s*statement-breakpoint[^\n]*/
	)) {
		if (statement.trim()) await shape.unsafe(statement);
	}
	await shape.end();
	const supabaseUrl = 'https://tongxing-test.supabase.co';
	let child: ChildProcess | undefined;
	try {
		child = await startInstance(portSupabase, databaseUrl, {
			REALTIME: 'supabase',
			PUBLIC_SUPABASE_URL: supabaseUrl,
			PUBLIC_SUPABASE_ANON_KEY: 'anon-key-of-the-project',
			SUPABASE_JWT_SECRET: 'the-projects-legacy-jwt-secret-at-least-32-chars'
		});
		const origin = `http://localhost:${portSupabase}`;
		const signUp = await post(origin, '/sign-up?/signUp', {
			email: `supabase-${Date.now()}@example.test`,
			displayName: '林晓',
			password: 'volunteer-day-2026'
		});
		const cookie = (signUp.headers.get('set-cookie') ?? '').split(';')[0];
		const created = await post(origin, '/teams?/create', { name: 'Supabase 模式' }, cookie);
		const location = created.headers.get('location') ?? '';
		const page = await fetch(`${origin}${location}`, { headers: { cookie } });
		const html = await page.text();
		expect(html).toContain(supabaseUrl);
		expect(html).toContain('anon-key-of-the-project');

		// Tokens for Supabase Realtime: signed with the project's secret, 5 minutes.
		const tokenResponse = await fetch(`${origin}/api/realtime/token`, { headers: { cookie } });
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
		child?.kill('SIGTERM');
		if (child) await new Promise((resolve) => child!.once('exit', resolve));
		await admin.unsafe(`drop database if exists "${name}" with (force)`);
		await admin.end();
	}
});
