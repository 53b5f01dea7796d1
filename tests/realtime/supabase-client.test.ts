// Contract tests: the real @supabase/supabase-js client (pinned in package.json, `ws` transport,
// since Node 20 has no global WebSocket) against the hub on an ephemeral port.
import { createClient, type RealtimeChannel, type SupabaseClient } from '@supabase/supabase-js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import {
	expectRemovedWithin2s,
	ANON_KEY,
	customToken,
	newTopic,
	newUser,
	nowSeconds,
	RawClient,
	sleep,
	startServer,
	tokenFor,
	upgradeStatus,
	waitFor,
	type TestServer
} from './helpers';

type Status = 'SUBSCRIBED' | 'TIMED_OUT' | 'CLOSED' | 'CHANNEL_ERROR';

interface Peer {
	client: SupabaseClient;
	setToken(token: string | null): void;
}

interface Watched {
	channel: RealtimeChannel;
	statuses: Status[];
	errors: Error[];
	broadcasts: Array<{ event: string; payload: unknown }>;
	system: Array<Record<string, unknown>>;
}

let server: TestServer;
const peers: Peer[] = [];

beforeEach(async () => {
	server = await startServer();
});

afterEach(async () => {
	for (const peer of peers.splice(0)) {
		await peer.client.removeAllChannels();
		await peer.client.realtime.disconnect();
	}
	await server.close();
});

/** Two new users, both allowed on `topic`. */
function allowTwo(topic: string): [string, string] {
	const [alice, bob] = [newUser(), newUser()];
	server.allow(topic, alice);
	server.allow(topic, bob);
	return [alice, bob];
}

/** Two new users allowed on `topic`, each joined through a client of their own. */
async function joinTwo(topic: string) {
	const [alice, bob] = allowTwo(topic);
	const a = await join(peer(await tokenFor(alice)), topic);
	const b = await join(peer(await tokenFor(bob)), topic);
	return { alice, bob, a, b };
}

function peer(
	token: string | null,
	realtime: { vsn?: '1.0.0' | '2.0.0'; heartbeatIntervalMs?: number } & Record<
		string,
		unknown
	> = {},
	useAccessTokenOption = true
): Peer {
	let current = token;
	const client = createClient(server.url, ANON_KEY, {
		...(useAccessTokenOption ? { accessToken: async () => current } : {}),
		auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
		realtime: {
			// ws's WebSocket is what realtime-js wants in Node; its typings differ from the DOM's.
			transport: WebSocket as unknown as NonNullable<
				NonNullable<Parameters<typeof createClient>[2]>['realtime']
			>['transport'],
			timeout: 3_000,
			...realtime
		}
	});
	const p = { client, setToken: (t: string | null) => (current = t) };
	peers.push(p);
	return p;
}

async function join(
	p: Peer,
	subTopic: string,
	config: Record<string, unknown> = {},
	setup: (ch: RealtimeChannel) => void = () => {}
): Promise<Watched> {
	// Without this the first join can go out before the token is known (ARCHITECTURE.md).
	await p.client.realtime.setAuth();
	const channel = p.client.channel(subTopic, { config: { private: true, ...config } });
	const w: Watched = { channel, statuses: [], errors: [], broadcasts: [], system: [] };
	channel.on('broadcast', { event: '*' }, (msg) => {
		w.broadcasts.push({ event: String(msg.event), payload: msg.payload });
	});
	channel.on('system', {}, (payload: Record<string, unknown>) => w.system.push(payload));
	setup(channel);
	channel.subscribe((status, err) => {
		w.statuses.push(status as Status);
		if (err) w.errors.push(err);
	});
	await waitFor(() => w.statuses.length > 0, 5_000, `join of ${subTopic}`);
	return w;
}

async function expectRefused(w: Watched, reason: string | RegExp): Promise<void> {
	expect(w.statuses[0]).toBe('CHANNEL_ERROR');
	const message = w.errors[0]?.message ?? '';
	if (typeof reason === 'string') expect(message).toBe(reason);
	else expect(message).toMatch(reason);
}

describe('join', () => {
	it('lets two members join a private team channel', async () => {
		const topic = newTopic('team');
		const { alice, bob, a, b } = await joinTwo(topic);
		expect(a.statuses).toEqual(['SUBSCRIBED']);
		expect(b.statuses).toEqual(['SUBSCRIBED']);
		expect(server.hub.stats()).toMatchObject({ connections: 2, channels: 2, topics: 1 });
		// authorize() receives the sub-topic and the token's subject, nothing else.
		expect(server.authorizeCalls).toEqual([
			{ topic, userId: alice },
			{ topic, userId: bob }
		]);
	});

	it('refuses a non-member with the Supabase reason', async () => {
		const topic = newTopic('event');
		const w = await join(peer(await tokenFor(newUser())), topic);
		await expectRefused(
			w,
			`Unauthorized: You do not have permissions to read from this Channel topic: ${topic}`
		);
		expect(server.hub.stats().channels).toBe(0);
	});

	it('refuses a bad signature, an expired token, a foreign role, the bare anon key', async () => {
		const topic = newTopic('team');
		const user = newUser();
		server.allow(topic, user);
		const claims = { sub: user, role: 'authenticated', aud: 'authenticated' };

		const forged = await customToken({ ...claims, exp: nowSeconds() + 600 }, 'some-other-secret');
		await expectRefused(
			await join(peer(forged), topic),
			'JwtSignatureError: Failed to validate JWT signature'
		);

		const expired = await customToken({ ...claims, exp: nowSeconds() - 5 });
		await expectRefused(
			await join(peer(expired), topic),
			/^InvalidJWTToken: Token has expired [56] seconds ago$/
		);

		const anonRole = await customToken({ ...claims, role: 'anon', exp: nowSeconds() + 600 });
		await expectRefused(await join(peer(anonRole), topic), /^InvalidJWTToken: .*role/);

		// No accessToken option: supabase-js sends the anon key as access_token.
		await expectRefused(
			await join(peer(null, {}, false), topic),
			`Unauthorized: You do not have permissions to read from this Channel topic: ${topic}`
		);
		expect(server.hub.stats().channels).toBe(0);
		expect(server.authorizeCalls).toEqual([]);
	});

	it('refuses public channels and postgres_changes with clear reasons', async () => {
		const topic = newTopic('team');
		const user = newUser();
		server.allow(topic, user);
		await expectRefused(
			await join(peer(await tokenFor(user)), topic, { private: false }),
			'PrivateOnly: This project only allows private channels'
		);
		// A fresh client: supabase-js hands back the same (errored) channel object for a topic.
		const pg = await join(peer(await tokenFor(user)), topic, {}, (ch) => {
			ch.on('postgres_changes', { event: '*', schema: 'public' }, () => {});
		});
		await expectRefused(
			pg,
			'PostgresChangesNotSupported: the embedded realtime server supports broadcast and presence only'
		);
	});

	it('refuses topics outside team:<uuid> and event:<uuid> before asking authorize()', async () => {
		const user = newUser();
		server.allow('room:1', user);
		await expectRefused(
			await join(peer(await tokenFor(user)), 'room:1'),
			'Unauthorized: You do not have permissions to read from this Channel topic: room:1'
		);
		expect(server.authorizeCalls).toEqual([]);
	});

	it('leaves with ok and frees the channel', async () => {
		const topic = newTopic('team');
		const user = newUser();
		server.allow(topic, user);
		const w = await join(peer(await tokenFor(user)), topic);
		expect(server.hub.stats().channels).toBe(1);
		await expect(w.channel.unsubscribe()).resolves.toBe('ok');
		await waitFor(() => server.hub.stats().channels === 0, 2_000, 'channel freed');
		expect(w.statuses).toContain('CLOSED');
	});
});

describe('token lifetime and the first join (issue 22)', () => {
	it('refuses a correctly signed token that lives an hour, at join and at refresh', async () => {
		const topic = newTopic('team');
		const user = newUser();
		server.allow(topic, user);
		const claims = { sub: user, role: 'authenticated', aud: 'authenticated' };
		const hour = await customToken({ ...claims, iat: nowSeconds(), exp: nowSeconds() + 3_600 });
		await expectRefused(
			await join(peer(hour), topic),
			'InvalidJWTToken: Token lifetime exceeds the maximum of 600 seconds'
		);
		expect(server.authorizeCalls).toEqual([]);

		// Joined with a 10-minute token, then refreshed to an hour-long one: closed.
		const p = peer(await tokenFor(user));
		const w = await join(p, topic);
		expect(w.statuses).toEqual(['SUBSCRIBED']);
		p.setToken(hour);
		await p.client.realtime.setAuth();
		await waitFor(() => w.statuses.includes('CLOSED'), 3_000, 'closed after a long token');
		expect(JSON.stringify(w.system)).toContain('Token lifetime exceeds');
	});

	/** Subscribes right after createClient, without awaiting setAuth first. */
	async function subscribeAtOnce(p: Peer, topic: string) {
		const statuses: Status[] = [];
		const errors: string[] = [];
		p.client.channel(topic, { config: { private: true } }).subscribe((status, err) => {
			statuses.push(status as Status);
			if (err) errors.push(err.message);
		});
		await waitFor(() => statuses.length > 0, 5_000, `join of ${topic}`);
		return { statuses, errors };
	}

	it('the documented setup (await realtime.setAuth() before subscribe) joins at the first try', async () => {
		const topic = newTopic('team');
		const user = newUser();
		server.allow(topic, user);
		const p = peer(await tokenFor(user));
		await p.client.realtime.setAuth();
		const first = await subscribeAtOnce(p, topic);
		expect(first.statuses).toEqual(['SUBSCRIBED']);
	});

	it('subscribing before the token is known: refused saying what to do, then the client’s own rejoin gets in', async () => {
		const topic = newTopic('team');
		const user = newUser();
		server.allow(topic, user);
		// The accessToken callback resolves in a later tick, as a fetch of the token would.
		const p = peer(await tokenFor(user));
		const first = await subscribeAtOnce(p, topic);
		expect(first.statuses[0]).toBe('CHANNEL_ERROR');
		expect(first.errors[0]).toMatch(/no access_token.*await client\.realtime\.setAuth\(\)/);
		expect(server.authorizeCalls).toEqual([]);
		// supabase-js rejoins a second later with the token it has by then.
		await waitFor(() => first.statuses.includes('SUBSCRIBED'), 5_000, 'rejoined');
		expect(server.authorizeCalls).toEqual([{ topic, userId: user }]);
	});
});

describe('presence', () => {
	it('syncs two members, then shows a leave', async () => {
		const topic = newTopic('event');
		const [alice, bob] = allowTwo(topic);
		const leaves: string[] = [];
		const a = await join(peer(await tokenFor(alice)), topic, {}, (ch) => {
			ch.on('presence', { event: 'leave' }, ({ key }: { key: string }) => leaves.push(key));
		});
		const b = await join(peer(await tokenFor(bob)), topic, {}, (ch) => {
			ch.on('presence', { event: 'sync' }, () => {});
		});
		expect(await a.channel.track({ name: 'Alice', group: 'A' })).toBe('ok');
		expect(await b.channel.track({ name: 'Bob', group: 'B' })).toBe('ok');

		for (const w of [a, b]) {
			const state = await waitFor(
				() => {
					const s = w.channel.presenceState<{ name: string }>();
					return Object.keys(s).length === 2 ? s : undefined;
				},
				3_000,
				'two presences'
			);
			// Key falls back to the user id when the client gives none.
			expect(Object.keys(state).sort()).toEqual([alice, bob].sort());
			expect(state[alice][0]).toMatchObject({ name: 'Alice', group: 'A' });
			expect(typeof state[alice][0].presence_ref).toBe('string');
		}

		expect(await b.channel.untrack()).toBe('ok');
		await waitFor(() => leaves.includes(bob), 2_000, 'leave of bob');
		expect(Object.keys(a.channel.presenceState())).toEqual([alice]);

		// A re-track and then a closed socket: the leave reaches the others all the same.
		expect(await b.channel.track({ name: 'Bob again' })).toBe('ok');
		await waitFor(() => Object.keys(a.channel.presenceState()).length === 2, 2_000, 'rejoin');
		await peers[1].client.realtime.disconnect();
		await waitFor(() => Object.keys(a.channel.presenceState()).length === 1, 2_000, 'socket leave');
		expect(leaves.filter((k) => k === bob)).toHaveLength(2);
	});

	it('uses config.presence.key when given and keeps one entry per tab', async () => {
		const topic = newTopic('team');
		const alice = newUser();
		server.allow(topic, alice);
		const tab1 = await join(peer(await tokenFor(alice)), topic, { presence: { key: 'alice-key' } });
		const tab2 = await join(peer(await tokenFor(alice)), topic, { presence: { key: 'alice-key' } });
		expect(await tab1.channel.track({ tab: 1 })).toBe('ok');
		expect(await tab2.channel.track({ tab: 2 })).toBe('ok');
		const state = await waitFor(
			() => {
				const s = tab1.channel.presenceState<{ tab: number }>();
				return s['alice-key']?.length === 2 ? s : undefined;
			},
			2_000,
			'two metas under one key'
		);
		expect(state['alice-key'].map((m) => m.tab).sort()).toEqual([1, 2]);
	});
});

describe('broadcast', () => {
	it('reaches a 1.0.0 and a 2.0.0 client on one channel, binary as kind 4 to 2.0.0', async () => {
		const topic = newTopic('event');
		const [v1User, v2User] = allowTwo(topic);
		const v1 = await join(peer(await tokenFor(v1User), { vsn: '1.0.0' }), topic);
		const v2 = await join(peer(await tokenFor(v2User), { vsn: '2.0.0' }), topic);
		expect([v1.statuses, v2.statuses]).toEqual([['SUBSCRIBED'], ['SUBSCRIBED']]);

		const hint = { kinds: ['tasks'], ids: ['t1'] };
		expect(server.hub.broadcast(topic, 'hint', hint)).toBe(2);
		await waitFor(() => v1.broadcasts.length === 1 && v2.broadcasts.length === 1, 2_000, 'hint');
		expect(v1.broadcasts[0]).toEqual({ event: 'hint', payload: hint });
		expect(v2.broadcasts[0]).toEqual({ event: 'hint', payload: hint });

		// Binary goes to 2.0.0 only: the 1.0.0 client JSON-parses every frame.
		expect(server.hub.broadcast(topic, 'bin', new Uint8Array([1, 2, 3]))).toBe(1);
		expect(server.hub.broadcast(topic, 'after', { n: 1 })).toBe(2);
		await waitFor(() => v1.broadcasts.length === 2 && v2.broadcasts.length === 3, 2_000, 'more');
		const bin = v2.broadcasts[1];
		expect(bin.event).toBe('bin');
		expect(bin.payload).toBeInstanceOf(ArrayBuffer);
		expect([...new Uint8Array(bin.payload as ArrayBuffer)]).toEqual([1, 2, 3]);
		expect(v1.broadcasts.map((b) => b.event)).toEqual(['hint', 'after']);
		// The full topic works too, and an unknown topic reaches nobody.
		expect(server.hub.broadcast(`realtime:${topic}`, 'x', {})).toBe(2);
		expect(server.hub.broadcast(newTopic('event'), 'x', {})).toBe(0);
	});

	it('refuses a client broadcast: the sender gets an error, nobody receives it', async () => {
		const topic = newTopic('team');
		const [alice, bob] = allowTwo(topic);
		const a = await join(peer(await tokenFor(alice)), topic, {
			broadcast: { ack: true, self: true }
		});
		const b = await join(peer(await tokenFor(bob)), topic);
		const viaAck = await a.channel.send({ type: 'broadcast', event: 'msg', payload: { t: 1 } });
		expect(viaAck).toBe('error');
		// Without ack supabase-js resolves 'ok' at once; the hub still drops it (binary too).
		await a.channel.send({ type: 'broadcast', event: 'bin', payload: new Uint8Array([9]).buffer });
		server.hub.broadcast(topic, 'marker', {});
		await waitFor(() => b.broadcasts.length > 0 && a.broadcasts.length > 0, 2_000, 'marker');
		expect(b.broadcasts.map((m) => m.event)).toEqual(['marker']);
		expect(a.broadcasts.map((m) => m.event)).toEqual(['marker']);
		expect(a.statuses).toEqual(['SUBSCRIBED']);
	});
});

describe('tokens and permission', () => {
	it('keeps the channel across a token refresh, past the first token expiry', async () => {
		const topic = newTopic('team');
		const user = newUser();
		server.allow(topic, user);
		const p = peer(await tokenFor(user, 2));
		const w = await join(p, topic);
		expect(w.statuses).toEqual(['SUBSCRIBED']);
		p.setToken(await tokenFor(user, 600));
		await p.client.realtime.setAuth();
		await sleep(2_600);
		expect(w.system).toEqual([]);
		expect(w.statuses).toEqual(['SUBSCRIBED']);
		expect(server.hub.broadcast(topic, 'still', {})).toBe(1);
		await waitFor(() => w.broadcasts.length === 1, 2_000, 'broadcast after refresh');
		// The refresh was re-authorized, not merely re-verified.
		expect(server.authorizeCalls.length).toBeGreaterThanOrEqual(2);
	});

	it('closes the channel on token expiry with a system error, then phx_close', async () => {
		const topic = newTopic('event');
		const user = newUser();
		server.allow(topic, user);
		const w = await join(
			peer(
				await customToken({
					sub: user,
					role: 'authenticated',
					aud: 'authenticated',
					exp: nowSeconds() + 2
				})
			),
			topic
		);
		expect(w.statuses).toEqual(['SUBSCRIBED']);
		await waitFor(() => w.statuses.includes('CLOSED'), 4_000, 'close on expiry');
		expect(w.system).toEqual([
			{
				extension: 'system',
				status: 'error',
				message: expect.stringMatching(/^Token has expired [01] seconds ago$/),
				channel: topic
			}
		]);
		expect(server.hub.stats().channels).toBe(0);
	});

	it('closes the channel when a refreshed token belongs to a non-member', async () => {
		const topic = newTopic('event');
		const [alice, mallory] = [newUser(), newUser()];
		server.allow(topic, alice);
		const p = peer(await tokenFor(alice));
		const w = await join(p, topic);
		p.setToken(await tokenFor(mallory));
		await p.client.realtime.setAuth();
		await waitFor(() => w.statuses.includes('CLOSED'), 2_000, 'close');
		expect(w.system[0]).toEqual({
			extension: 'system',
			status: 'error',
			message: `You no longer have permission to read from this Channel topic: ${topic}`,
			channel: topic
		});
	});

	it('closes a removed member within 2 s of recheckTopics, and keeps the others', async () => {
		const team = newTopic('team');
		const { bob, a, b } = await joinTwo(team);
		server.deny(team, bob);
		const started = Date.now();
		const result = await server.hub.recheckTopics(team.slice(0, 'team:'.length + 8));
		expect(result).toEqual({ checked: 2, closed: 1 });
		await expectRemovedWithin2s(b, a, team, started);
		expect(server.hub.broadcast(team, 'after', {})).toBe(1);
		await expect(server.hub.recheckTopics([team])).resolves.toEqual({ checked: 1, closed: 0 });
	});
});

describe('upgrade and connection', () => {
	it('refuses a wrong or missing apikey (401) and a foreign Origin (403)', async () => {
		expect(await upgradeStatus(`${server.wsUrl}?apikey=wrong&vsn=2.0.0`)).toBe(401);
		expect(await upgradeStatus(`${server.wsUrl}?vsn=2.0.0`)).toBe(401);
		expect(
			await upgradeStatus(`${server.wsUrl}?apikey=${ANON_KEY}&vsn=2.0.0`, {
				origin: 'https://evil.example'
			})
		).toBe(403);
		expect(
			await upgradeStatus(`${server.wsUrl}?apikey=${ANON_KEY}&vsn=2.0.0`, {
				origin: `http://127.0.0.1:${server.port}`
			})
		).toBe(101);
		// No Origin (non-browser clients) is accepted; the apikey may come as a header too.
		expect(await upgradeStatus(`${server.wsUrl}?vsn=2.0.0`, { apikey: ANON_KEY })).toBe(101);
		expect(await upgradeStatus(`${server.wsUrl}?apikey=${ANON_KEY}&vsn=3.0.0`)).toBe(400);
		// Other paths are left to the caller (Vite's HMR socket shares the server).
		expect(await upgradeStatus(`ws://127.0.0.1:${server.port}/other?apikey=${ANON_KEY}`)).toBe(404);
	});

	it('answers the client heartbeat', async () => {
		const statuses: string[] = [];
		const topic = newTopic('team');
		const user = newUser();
		server.allow(topic, user);
		const p = peer(await tokenFor(user), {
			heartbeatIntervalMs: 100,
			heartbeatCallback: (status: string) => statuses.push(status)
		});
		await join(p, topic);
		await waitFor(() => statuses.includes('ok'), 3_000, 'heartbeat ok');
		expect(statuses).not.toContain('timeout');
	});
});

describe('limits and timeouts', () => {
	it('refuses joins beyond maxJoinsPerSocket with ChannelRateLimitReached', async () => {
		await server.close();
		server = await startServer({ maxJoinsPerSocket: 1 });
		const user = newUser();
		const [t1, t2] = [newTopic('team'), newTopic('event')];
		server.allow(t1, user);
		server.allow(t2, user);
		const p = peer(await tokenFor(user));
		expect((await join(p, t1)).statuses).toEqual(['SUBSCRIBED']);
		await expectRefused(await join(p, t2), 'ChannelRateLimitReached: Too many channels');
	});

	it('drops a socket that stops heartbeating, and closes one that joins nothing', async () => {
		await server.close();
		server = await startServer({ heartbeatTimeoutMs: 300, idleTimeoutMs: 600 });
		const url = `${server.wsUrl}?apikey=${ANON_KEY}&vsn=2.0.0`;
		const silent = await RawClient.open(url);
		const idle = await RawClient.open(url);
		const beat = setInterval(
			() => idle.send([null, String(Date.now()), 'phoenix', 'heartbeat', {}]),
			100
		);
		try {
			expect(await silent.waitClosed(2_000)).toBe(1006);
			expect(idle.closeCode).toBeNull();
			expect(await idle.waitClosed(2_000)).toBe(1000);
		} finally {
			clearInterval(beat);
		}
		expect(server.hub.stats().connections).toBe(0);
	});

	it('closes a socket that sends an oversized frame', async () => {
		await server.close();
		server = await startServer({ maxFrameBytes: 1_024 });
		const raw = await RawClient.open(`${server.wsUrl}?apikey=${ANON_KEY}&vsn=2.0.0`);
		raw.send([null, '1', 'phoenix', 'heartbeat', { pad: 'x'.repeat(2_000) }]);
		expect(await raw.waitClosed()).toBe(1009);
	});

	it('refuses upgrades beyond maxConnections with 503', async () => {
		await server.close();
		server = await startServer({ maxConnections: 1 });
		const url = `${server.wsUrl}?apikey=${ANON_KEY}&vsn=2.0.0`;
		const first = await RawClient.open(url);
		expect(await upgradeStatus(url)).toBe(503);
		first.close();
	});
});
