// Two app processes on one PostgreSQL: a change made through one reaches a supabase-js client
// connected to the other (each instance's hub LISTENs; NOTIFY reaches them all).
import { expect, test } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import postgres from 'postgres';
import { createClient } from '@supabase/supabase-js';
import { WebSocket } from 'ws';

const adminUrl = process.env.TEST_DATABASE_URL;

test.skip(!adminUrl && !process.env.CI, 'needs TEST_DATABASE_URL (PostgreSQL)');

function withDatabase(url: string, name: string): string {
	const u = new URL(url);
	u.pathname = `/${name}`;
	return u.toString();
}

async function startInstance(port: number, databaseUrl: string): Promise<ChildProcess> {
	const child = spawn(process.execPath, ['server.js'], {
		env: {
			...process.env,
			PORT: String(port),
			ORIGIN: `http://localhost:${port}`,
			DATABASE_URL: databaseUrl
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
			...(await Promise.all([startInstance(4291, databaseUrl), startInstance(4292, databaseUrl)]))
		);
		const [a, b] = ['http://localhost:4291', 'http://localhost:4292'];

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
	} finally {
		for (const client of clients) await client.removeAllChannels();
		for (const child of instances) child.kill('SIGTERM');
		await Promise.all(
			instances.map((child) => new Promise((resolve) => child.once('exit', resolve)))
		);
		await admin.unsafe(`drop database if exists "${name}" with (force)`);
		await admin.end();
	}
});
