// The realtime endpoint wired to the app: the real supabase-js client against the process's hub
// on a node:http server, authorized by public.can_read_topic on the real database, re-checked
// through LISTEN when a membership change commits, and REST broadcast through NOTIFY.
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openPostgres } from '../../src/lib/server/db';
import { readEnv } from '../../src/lib/server/env';
import * as teams from '../../src/lib/server/teams';
import {
	createRealtimeServer,
	getRealtime,
	startRealtime,
	stopRealtime,
	type RealtimeServer
} from '../../src/lib/server/realtime';
import { signRealtimeToken } from '../../src/lib/server/realtime/jwt';
import { MEMBERSHIP_CHANNEL } from '../../src/lib/server/realtime/notify';
import { makeEvent } from '../factories/events';
import { addMember, makeTeam } from '../factories/teams';
import { makeUser } from '../factories/users';
import { expectRemovedWithin2s, sleep, upgradeStatus, waitFor } from '../realtime/helpers';
import { isPostgres, useTestDatabase } from './helpers';
import {
	client,
	disconnectAll,
	join,
	postBroadcast,
	serve,
	type AppServer
} from './realtime-helpers';

const t = useTestDatabase();
const quiet = { env: readEnv({}), log: () => {} };

let realtime: RealtimeServer;
let app: AppServer;

beforeEach(async () => {
	realtime = await startRealtime(t.handle, quiet);
	app = await serve(realtime);
});

afterEach(async () => {
	await disconnectAll();
	await app.close();
	await stopRealtime();
});

const tokenFor = async (userId: string) =>
	(await signRealtimeToken(userId, realtime.secrets.jwtSecret)).token;
const userClient = async (userId: string) =>
	client(app.url, realtime.secrets.anonKey, await tokenFor(userId));
const refusal = (topic: string) =>
	`Unauthorized: You do not have permissions to read from this Channel topic: ${topic}`;

describe('the process hub', () => {
	it('starts once per process and is where server.js looks for it', async () => {
		expect(await startRealtime(t.handle, quiet)).toBe(realtime);
		expect(getRealtime()).toBe(realtime);
		expect((globalThis as Record<symbol, unknown>)[Symbol.for('tongxing.realtime')]).toBe(realtime);
		expect(await upgradeStatus(`${app.url.replace('http', 'ws')}/elsewhere`)).toBe(404);
	});
});

describe('joining a team channel', () => {
	it('lets a member in and refuses a non-member with the reason', async () => {
		const team = await makeTeam();
		const member = await addMember(team);
		const outsider = await makeUser();
		const topic = `team:${team.teamId}`;

		const joined = await join(await userClient(member.id), topic);
		expect(joined.statuses).toEqual(['SUBSCRIBED']);

		const refused = await join(await userClient(outsider.id), topic);
		expect(refused.statuses[0]).toBe('CHANNEL_ERROR');
		expect(refused.errors[0]?.message).toBe(refusal(topic));
		expect(realtime.hub.stats().channels).toBe(1);
	});

	it('refuses the bare anon key as a token', async () => {
		const team = await makeTeam();
		const topic = `team:${team.teamId}`;
		const anonymous = await join(client(app.url, realtime.secrets.anonKey, null), topic);
		expect(anonymous.statuses[0]).toBe('CHANNEL_ERROR');
		expect(anonymous.errors[0]?.message).toBe(refusal(topic));
	});
});

/** A team, two volunteers, and each one's client joined to the team's channel. */
async function twoOnTeamChannel() {
	const team = await makeTeam();
	const members = [await addMember(team), await addMember(team)];
	const topic = `team:${team.teamId}`;
	const channels = [
		await join(await userClient(members[0].id), topic),
		await join(await userClient(members[1].id), topic)
	];
	return { team, topic, members, channels };
}

describe('membership changes', () => {
	it('closes a removed member’s channel within 2 s of removeMember, keeping the others', async () => {
		const { team, topic, members, channels } = await twoOnTeamChannel();
		const [, goes] = members;
		const [kept, removed] = channels;
		expect([kept.statuses, removed.statuses]).toEqual([['SUBSCRIBED'], ['SUBSCRIBED']]);

		await teams.removeMember({ userId: team.captain.id }, team.teamId, goes.id);
		const committed = Date.now();
		await expectRemovedWithin2s(removed, kept, topic, committed);
		expect(realtime.hub.stats().channels).toBe(1);
	});

	it('closes the channel of a member who leaves, and keeps one whose role changed', async () => {
		const { team, members, channels } = await twoOnTeamChannel();
		const [promoted, leaver] = members;
		const [p, l] = channels;

		await teams.changeRole({ userId: team.captain.id }, team.teamId, promoted.id, 'leader');
		await teams.leaveTeam({ userId: leaver.id }, team.teamId);
		await waitFor(() => l.statuses.includes('CLOSED'), 2_000, 'leaver closed');
		// The role change was re-checked too (same team); the promoted member is still in and
		// hears the hints the commands published. The setup's own hints (the invites made and
		// redeemed just before the join) may still arrive after it, alone or merged with them.
		const ids = () => p.broadcasts.flatMap((b) => (b.payload as { ids?: string[] }).ids ?? []);
		await waitFor(() => ids().includes(promoted.id), 2_000, 'hint after role change');
		expect(p.statuses).toEqual(['SUBSCRIBED']);
		for (const b of p.broadcasts) {
			expect(b.event).toBe('hint');
			for (const kind of (b.payload as { kinds: string[] }).kinds) {
				expect(['members', 'invites']).toContain(kind);
			}
		}
		expect(
			p.broadcasts.some((b) => {
				const hint = b.payload as { kinds: string[]; ids?: string[] };
				return hint.kinds.includes('members') && (hint.ids ?? []).includes(promoted.id);
			})
		).toBe(true);
	});

	it('re-checks the team’s event channels too: removal and demotion close them', async () => {
		const team = await makeTeam();
		const co = await addMember(team, 'captain');
		const member = await addMember(team);
		const planned = await makeEvent(team, { status: 'planned' });
		const draft = await makeEvent(team);
		const memberOnPlanned = await join(await userClient(member.id), `event:${planned.id}`);
		const coOnDraft = await join(await userClient(co.id), `event:${draft.id}`);
		const coOnPlanned = await join(await userClient(co.id), `event:${planned.id}`);
		expect([memberOnPlanned, coOnDraft, coOnPlanned].map((w) => w.statuses)).toEqual([
			['SUBSCRIBED'],
			['SUBSCRIBED'],
			['SUBSCRIBED']
		]);

		await teams.removeMember({ userId: team.captain.id }, team.teamId, member.id);
		await waitFor(() => memberOnPlanned.statuses.includes('CLOSED'), 2_000, 'event channel');
		// Drafts are for captains: a captain made volunteer loses the draft, keeps the rest.
		await teams.changeRole({ userId: team.captain.id }, team.teamId, co.id, 'volunteer');
		await waitFor(() => coOnDraft.statuses.includes('CLOSED'), 2_000, 'draft channel');
		expect(coOnPlanned.statuses).toEqual(['SUBSCRIBED']);
	});

	it('notifies on commit only, never for a change that rolls back', async () => {
		const team = await makeTeam();
		const member = await addMember(team);
		const heard: string[] = [];
		const unlisten = await t.handle.listen(MEMBERSHIP_CHANNEL, (payload) => heard.push(payload));
		try {
			// The last captain cannot leave: the transaction, and its NOTIFY, roll back.
			await expect(teams.leaveTeam({ userId: team.captain.id }, team.teamId)).rejects.toThrow();
			await teams.changeRole({ userId: team.captain.id }, team.teamId, member.id, 'leader');
			// Notifications arrive in commit order: once the second is here, a first would be too.
			await waitFor(() => heard.length > 0, 2_000, 'the committed change');
			await sleep(100);
			expect(heard).toEqual([team.teamId]);
		} finally {
			await unlisten();
		}
	});
});

describe('REST broadcast', () => {
	const hint = { kinds: ['tasks'], ids: [randomUUID()] };

	it('delivers a service-key broadcast from supabase-js and answers 202', async () => {
		const team = await makeTeam();
		const topic = `team:${team.teamId}`;
		const member = await join(await userClient(team.captain.id), topic);

		// An unsubscribed channel's send() goes over REST with the key as apikey.
		const service = client(app.url, realtime.secrets.serviceKey, null);
		const sender = service.channel(topic, { config: { private: true } });
		await expect(sender.send({ type: 'broadcast', event: 'hint', payload: hint })).resolves.toBe(
			'ok'
		);
		await waitFor(() => member.broadcasts.length > 0, 2_000, 'REST broadcast delivered');
		expect(member.broadcasts).toEqual([{ event: 'hint', payload: hint }]);

		const bearer = await postBroadcast(
			app.url,
			{ messages: [{ topic, event: 'hint', payload: hint, private: true }] },
			{ authorization: `Bearer ${realtime.secrets.serviceKey}` }
		);
		expect(bearer.status).toBe(202);
		await waitFor(() => member.broadcasts.length > 1, 2_000, 'Bearer broadcast delivered');
	});

	it('refuses no key, the anon key, a user token and a foreign Origin, delivering nothing', async () => {
		const team = await makeTeam();
		const topic = `team:${team.teamId}`;
		const member = await join(await userClient(team.captain.id), topic);
		const body = { messages: [{ topic, event: 'hint', payload: hint }] };
		const { anonKey, serviceKey } = realtime.secrets;

		const statusOf = async (headers: Record<string, string>) => {
			const res = await postBroadcast(app.url, body, headers);
			return { status: res.status, body: (await res.json()) as { error: string } };
		};
		expect(await statusOf({})).toMatchObject({ status: 401, body: { error: 'unauthorized' } });
		expect(await statusOf({ apikey: anonKey, authorization: `Bearer ${anonKey}` })).toMatchObject({
			status: 401
		});
		expect(
			await statusOf({
				apikey: anonKey,
				authorization: `Bearer ${await tokenFor(team.captain.id)}`
			})
		).toMatchObject({ status: 401 });
		expect(await statusOf({ apikey: serviceKey, origin: 'https://evil.example' })).toMatchObject({
			status: 403,
			body: { error: 'origin_not_allowed' }
		});
		// The app's own origin is not foreign.
		expect(
			(await postBroadcast(app.url, body, { apikey: serviceKey, origin: app.url })).status
		).toBe(202);
		await waitFor(() => member.broadcasts.length === 1, 2_000, 'the one accepted broadcast');
		await sleep(200);
		expect(member.broadcasts).toHaveLength(1);
	});

	it('answers bad input with 400 and a clear error, an oversized payload with 413', async () => {
		const key = { apikey: realtime.secrets.serviceKey };
		const topic = `team:${randomUUID()}`;
		const cases: Array<[unknown, string]> = [
			['{not json', 'invalid_json'],
			[{ message: [] }, 'invalid_body'],
			[{ messages: [] }, 'invalid_body'],
			[{ messages: ['x'] }, 'invalid_message'],
			[{ messages: [{ topic: 'room:1', event: 'e', payload: {} }] }, 'invalid_topic'],
			[{ messages: [{ topic: `realtime:${topic}`, event: 'e', payload: {} }] }, 'invalid_topic'],
			[{ messages: [{ topic, event: '', payload: {} }] }, 'invalid_event'],
			[{ messages: [{ topic, event: 'e', payload: [1] }] }, 'invalid_payload'],
			[{ messages: [{ topic, event: 'e', payload: {}, private: false }] }, 'public_not_supported']
		];
		for (const [body, error] of cases) {
			const res = await postBroadcast(app.url, body, key);
			expect({ status: res.status, body: await res.json() }).toMatchObject({
				status: 400,
				body: { error }
			});
		}
		const big = await postBroadcast(
			app.url,
			{ messages: [{ topic, event: 'e', payload: { text: 'x'.repeat(8_000) } }] },
			key
		);
		expect(big.status).toBe(413);
		expect(await big.json()).toMatchObject({ error: 'payload_too_large' });
	});
});

describe.runIf(isPostgres)('several instances on one PostgreSQL database', () => {
	it('delivers a broadcast and closes a removed member on the other instance', async () => {
		const second = openPostgres(t.url, { max: 2 });
		const other = await createRealtimeServer(second, quiet);
		const otherApp = await serve(other);
		try {
			expect(other.secrets).toEqual(realtime.secrets);
			const team = await makeTeam();
			const member = await addMember(team);
			const topic = `team:${team.teamId}`;
			const there = await join(
				client(otherApp.url, other.secrets.anonKey, await tokenFor(member.id)),
				topic
			);
			expect(there.statuses).toEqual(['SUBSCRIBED']);

			const res = await postBroadcast(
				app.url,
				{ messages: [{ topic, event: 'hint', payload: { kinds: ['members'] } }] },
				{ apikey: realtime.secrets.serviceKey }
			);
			expect(res.status).toBe(202);
			await waitFor(() => there.broadcasts.length > 0, 2_000, 'cross-instance broadcast');

			await teams.removeMember({ userId: team.captain.id }, team.teamId, member.id);
			const committed = Date.now();
			await waitFor(() => there.statuses.includes('CLOSED'), 2_000, 'closed on the other instance');
			expect(Date.now() - committed).toBeLessThan(2_000);
		} finally {
			await disconnectAll();
			await otherApp.close();
			await other.close();
			await second.close();
		}
	});

	it('lists who is here on every instance, and forgets an instance that closes or goes silent', async () => {
		const second = openPostgres(t.url, { max: 2 });
		const third = openPostgres(t.url, { max: 2 });
		// Short "alive" beats so a silent instance is forgotten within the test (3 × 200 ms).
		const other = await createRealtimeServer(second, { ...quiet, presenceAliveMs: 200 });
		const otherApp = await serve(other);
		let late: RealtimeServer | undefined;
		let lateApp: AppServer | undefined;
		try {
			const team = await makeTeam();
			const { id: eventId } = await makeEvent(team, { status: 'planned' });
			const topic = `event:${eventId}`;
			const [anna, bo, cai] = [await addMember(team), await addMember(team), await addMember(team)];
			const here = await join(await userClient(anna.id), topic);
			const there = await join(
				client(otherApp.url, other.secrets.anonKey, await tokenFor(bo.id)),
				topic
			);
			expect(await here.channel.track({ name: 'Anna' })).toBe('ok');
			expect(await there.channel.track({ name: 'Bo' })).toBe('ok');
			const keys = (w: { channel: { presenceState(): Record<string, unknown> } }) =>
				Object.keys(w.channel.presenceState()).sort();
			const both = [anna.id, bo.id].sort();
			await waitFor(() => keys(here).join() === both.join(), 3_000, 'Bo listed on instance A');
			await waitFor(() => keys(there).join() === both.join(), 3_000, 'Anna listed on instance B');

			// An instance started later learns who is already here (it asks at start).
			late = await createRealtimeServer(third, { ...quiet, presenceAliveMs: 200 });
			lateApp = await serve(late);
			const newcomer = await join(
				client(lateApp.url, late.secrets.anonKey, await tokenFor(cai.id)),
				topic
			);
			expect(await newcomer.channel.track({ name: 'Cai' })).toBe('ok');
			const all = [anna.id, bo.id, cai.id].sort();
			await waitFor(() => keys(newcomer).join() === all.join(), 3_000, 'the late instance');
			await waitFor(() => keys(here).join() === all.join(), 3_000, 'Cai listed on instance A');

			// An untrack on B reaches A; B's track again, then B closes: its people leave at once.
			expect(await there.channel.untrack()).toBe('ok');
			await waitFor(() => !keys(here).includes(bo.id), 3_000, 'Bo untracked');
			expect(await there.channel.track({ name: 'Bo' })).toBe('ok');
			await waitFor(() => keys(here).includes(bo.id), 3_000, 'Bo back');
			// (The hub first: it ends its sockets, which the HTTP server's close would wait for.)
			await other.close();
			await otherApp.close();
			await waitFor(() => !keys(here).includes(bo.id), 3_000, 'instance B closed');

			// The late instance dies without a word (its LISTEN and beats stop): forgotten after
			// three silent beats.
			const died = Date.now();
			await third.close();
			await waitFor(() => !keys(here).includes(cai.id), 5_000, 'silent instance forgotten');
			expect(Date.now() - died).toBeGreaterThanOrEqual(200);
			expect(keys(here)).toEqual([anna.id]);
		} finally {
			await disconnectAll();
			await lateApp?.close();
			await otherApp.close().catch(() => {});
			await other.close();
			await late?.close().catch(() => {});
			await second.close();
		}
	});
});
