// Supabase mode, proven on a PostgreSQL shaped like a Supabase project (tests/fixtures/
// supabase-shape.sql): hosted Supabase itself cannot be reached from here, so its Realtime
// service is stood in for by probing the policies the way it does, and its `realtime.send` by
// the fixture's function of that name (a row in realtime.messages, as Supabase's own writes): the
// hints go through the app's real publish path (publish.ts, the claim functions) against it.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readFileSync } from 'node:fs';
import postgres from 'postgres';
import { getDb, openPostgres, setHandle, type DbHandle } from '../../src/lib/server/db';
import { runMigrations, splitStatements } from '../../src/lib/server/db/migrate';
import { readMigrations } from '../../src/lib/server/db/fs-migrations';
import { hint } from '../../src/lib/server/realtime/publish';
import { isHint, mergeHints, type Hint } from '../../src/lib/server/realtime/hints';
import {
	flushHints,
	setTopicMaxRate,
	startHintFlusher
} from '../../src/lib/server/realtime/coalesce';
import { rowsOf } from '../../src/lib/server/db';
import { sql } from 'drizzle-orm';
import * as teams from '../../src/lib/server/teams';
import { isPostgres } from './helpers';
import { withDatabase } from './urls';
import { addMember, makeTeam } from '../factories/teams';
import { makeUser } from '../factories/users';
import { makeEvent } from '../factories/events';
import { key, makeTask } from '../factories/tasks';
import * as tasks from '../../src/lib/server/tasks';

describe.runIf(isPostgres)('supabase mode on a Supabase-shaped database', () => {
	let handle: DbHandle;
	let admin: postgres.Sql;
	let name = '';
	const previousMode = process.env.REALTIME;

	beforeAll(async () => {
		admin = postgres(inject('pgAdminUrl'), { max: 1, onnotice: () => {} });
		name = `${inject('pgTemplate')}_supabase${Date.now().toString(36)}`;
		await admin.unsafe(`create database "${name}"`);
		handle = openPostgres(withDatabase(inject('pgAdminUrl'), name), { max: 10 });
		await handle.withConnection(async (conn) => {
			for (const statement of splitStatements(
				readFileSync('tests/fixtures/supabase-shape.sql', 'utf8')
			)) {
				await conn.exec(statement);
			}
			// Every migration, and no local bootstrap: what `supabase db push` applies.
			await runMigrations(conn, readMigrations().migrations);
		});
		setHandle(handle);
		process.env.REALTIME = 'supabase';
		// Every hint as it commits, except where a test coalesces (it sets the rate itself).
		await setTopicMaxRate(getDb(), 0);
	});

	afterAll(async () => {
		if (previousMode === undefined) delete process.env.REALTIME;
		else process.env.REALTIME = previousMode;
		setHandle(undefined);
		await handle?.close();
		await admin.unsafe(`drop database if exists "${name}" with (force)`);
		await admin.end();
	});

	const asUser = (user: { id: string }) => ({ userId: user.id });
	const messagesFor = (topic: string) =>
		handle.withConnection((c) =>
			c.query<{
				topic: string;
				event: string;
				payload: unknown;
				private: boolean;
				extension: string;
			}>(
				'select topic, event, payload, private, extension from realtime.messages where topic = $1',
				[topic]
			)
		);

	it('installed the membership policies on realtime.messages', async () => {
		const policies = await handle.withConnection((c) =>
			c.query<{ policyname: string; cmd: string; roles: string[] }>(
				`select policyname, cmd, roles::text[] as roles from pg_policies
				 where schemaname = 'realtime' and tablename = 'messages' order by cmd`
			)
		);
		expect(policies).toEqual([
			{ policyname: 'tongxing members track presence', cmd: 'INSERT', roles: ['authenticated'] },
			{ policyname: 'tongxing members receive', cmd: 'SELECT', roles: ['authenticated'] }
		]);
	});

	it('publishes with realtime.send: a private broadcast row, only on commit', async () => {
		const team = await makeTeam();
		const topic = `team:${team.teamId}` as const;
		const volunteer = await addMember(team);
		const before = (await messagesFor(topic)).length;
		await getDb()
			.transaction(async (tx) => {
				await hint(tx, topic, ['members'], [volunteer.id]);
				throw new Error('roll back');
			})
			.catch((err: Error) => expect(err.message).toBe('roll back'));
		expect(await messagesFor(topic)).toHaveLength(before);

		await teams.changeRole({ userId: team.captain.id }, team.teamId, volunteer.id, 'leader');
		const rows = await messagesFor(topic);
		expect(rows.at(-1)).toEqual({
			topic,
			event: 'hint',
			payload: { kinds: ['members'], ids: [volunteer.id], version: expect.any(Number) },
			private: true,
			extension: 'broadcast'
		});
	});

	it('a claim and a withdrawal, one statement each, publish with realtime.send too', async () => {
		const team = await makeTeam();
		const { id: eventId } = await makeEvent(team, { status: 'planned' });
		const volunteer = await addMember(team);
		const task = await makeTask(team, eventId, { capacity: 2 });
		const topic = `event:${eventId}`;
		const before = (await messagesFor(topic)).length;
		const as = { userId: volunteer.id };
		const claimed = await tasks.claimTask(
			{ actor: as, teamId: team.teamId, eventId },
			task.id,
			key()
		);
		const left = await tasks.withdrawFromTask({ actor: as, teamId: team.teamId, eventId }, task.id);
		const rows = (await messagesFor(topic)).slice(before);
		const hint = (taken: number, version: number) => ({
			topic,
			event: 'hint',
			payload: {
				kinds: ['tasks', 'signups'],
				ids: [task.id],
				counts: { [task.id]: { taken, capacity: 2, waiting: 0, full: 0 } },
				version
			},
			private: true,
			extension: 'broadcast'
		});
		expect(rows).toEqual([hint(1, claimed.version), hint(0, left.version)]);
		expect(left.version).toBe(claimed.version + 1);
	});

	/**
	 * What Supabase Realtime does on join: in a transaction, as `authenticated` with the user's
	 * claims and `realtime.topic` set, select for read and insert for write; then roll back.
	 */
	async function probe(userId: string, topic: string, extension: 'broadcast' | 'presence') {
		return handle.withConnection(async (c) => {
			await c.exec('begin');
			try {
				await c.query(
					'insert into realtime.messages (topic, extension, event, private) values ($1, $2, $3, true)',
					[topic, extension, 'probe']
				);
				await c.exec('set local role authenticated');
				await c.query("select set_config('request.jwt.claims', $1, true)", [
					JSON.stringify({ sub: userId, role: 'authenticated' })
				]);
				await c.query("select set_config('realtime.topic', $1, true)", [topic]);
				const read = await c.query<{ n: number }>(
					'select count(*)::int as n from realtime.messages where topic = $1 and extension = $2',
					[topic, extension]
				);
				let canWrite = true;
				await c.exec('savepoint write_probe');
				try {
					await c.query(
						'insert into realtime.messages (topic, extension, event, private) values ($1, $2, $3, true)',
						[topic, extension, 'probe']
					);
				} catch (err) {
					if ((err as { code?: string }).code !== '42501') throw err;
					canWrite = false;
					await c.exec('rollback to savepoint write_probe');
				}
				return { canRead: read[0].n > 0, canWrite };
			} finally {
				await c.exec('rollback');
			}
		});
	}

	it('admits a member, refuses others, and refuses a member’s broadcast', async () => {
		const team = await makeTeam();
		const member = await addMember(team);
		const stranger = await makeUser();
		const topic = `team:${team.teamId}`;
		expect(await probe(member.id, topic, 'broadcast')).toEqual({ canRead: true, canWrite: false });
		expect(await probe(member.id, topic, 'presence')).toEqual({ canRead: true, canWrite: true });
		expect(await probe(stranger.id, topic, 'broadcast')).toEqual({
			canRead: false,
			canWrite: false
		});
		expect(await probe(stranger.id, topic, 'presence')).toEqual({
			canRead: false,
			canWrite: false
		});
		await teams.removeMember({ userId: team.captain.id }, team.teamId, member.id);
		expect(await probe(member.id, topic, 'presence')).toEqual({ canRead: false, canWrite: false });
	});

	describe('coalescing (REALTIME_TOPIC_MAX_RATE)', () => {
		const versionsOf = (rows: { payload: unknown }[]) =>
			rows.map((r) => (r.payload as Hint).version);
		const countersOf = async (eventId: string) => {
			const rows = rowsOf<{ id: string; taken: number; capacity: number; waiting: number }>(
				await getDb().execute(
					sql`select id, taken, capacity, waiting from tasks where event_id = ${eventId}`
				)
			);
			return Object.fromEntries(
				rows.map((t) => [
					t.id,
					{
						taken: t.taken,
						capacity: t.capacity,
						waiting: t.waiting,
						full: t.taken >= t.capacity ? 1 : 0
					}
				])
			);
		};

		it('sends the first hint at once, merges the rest and sends them once the rate allows', async () => {
			const rateMs = 1500;
			try {
				const team = await makeTeam();
				const { id: eventId } = await makeEvent(team, { status: 'planned' });
				const topic = `event:${eventId}`;
				const [a, b] = [
					await makeTask(team, eventId, { capacity: 2 }),
					await makeTask(team, eventId, { capacity: 2 })
				];
				const people = [];
				for (let i = 0; i < 5; i++) people.push(await addMember(team));
				// The tasks' own hints went out at once (rate 0); from here on the topic has been
				// quiet for longer than the rate.
				await setTopicMaxRate(getDb(), rateMs);
				await getDb().execute(
					sql`update realtime_topic_versions set sent_at = now() - interval '1 minute' where topic = ${topic}`
				);
				const before = (await messagesFor(topic)).length;
				const started = Date.now();
				const first = await tasks.claimTask(
					{ actor: asUser(people[0]), teamId: team.teamId, eventId },
					a.id,
					key()
				);
				const rest = [];
				for (const [i, p] of people.slice(1).entries()) {
					rest.push(
						await tasks.claimTask(
							{ actor: asUser(p), teamId: team.teamId, eventId },
							[a, b][i % 2].id,
							key()
						)
					);
				}
				await tasks.withdrawFromTask(
					{ actor: asUser(people[0]), teamId: team.teamId, eventId },
					a.id
				);
				const sentAtOnce = (await messagesFor(topic)).slice(before);
				expect(versionsOf(sentAtOnce)).toEqual([first.version]);
				// Not yet due: nothing more leaves.
				if (Date.now() - started < rateMs - 200) expect(await flushHints(getDb())).toBe(0);
				await new Promise((r) => setTimeout(r, Math.max(0, started + rateMs + 50 - Date.now())));
				expect(await flushHints(getDb())).toBeGreaterThanOrEqual(1);
				const [merged] = (await messagesFor(topic)).slice(before + 1);
				const last = first.version + rest.length + 1;
				expect(merged.payload).toEqual({
					kinds: ['tasks', 'signups'],
					// a's withdrawal moved people[3] up from its waitlist: named too.
					ids: [a.id, b.id, people[3].id],
					counts: await countersOf(eventId),
					version: [first.version + 1, last]
				});
				// Still a hint of the map: ids, counts and the version, nothing else.
				expect(isHint(merged.payload)).toBe(true);
				expect(await flushHints(getDb())).toBe(0);
			} finally {
				await setTopicMaxRate(getDb(), 0);
			}
		});

		it('merges in SQL as mergeHints does in TypeScript, "all" beyond 50 ids', async () => {
			const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
			const c = (taken: number) => ({ taken, capacity: 3, waiting: 0, full: 0 as const });
			const cases: [Hint, Hint][] = [
				[
					{
						kinds: ['tasks', 'signups'],
						ids: [id(1), id(2)],
						counts: { [id(1)]: c(1) },
						version: 4
					},
					{
						kinds: ['signups', 'tasks'],
						ids: [id(2), id(3)],
						counts: { [id(1)]: c(2) },
						version: 5
					}
				],
				[
					{ kinds: ['tasks'], ids: [id(1)], version: [2, 6] },
					{ kinds: ['groups'], version: [7, 9] }
				],
				[{ kinds: ['tasks'], version: 3 }, { kinds: ['tasks'] }],
				[
					{ kinds: ['tasks'], ids: Array.from({ length: 30 }, (_, i) => id(i)), version: 1 },
					{ kinds: ['tasks'], ids: Array.from({ length: 30 }, (_, i) => id(i + 30)), version: 2 }
				],
				[
					{
						kinds: ['tasks'],
						counts: Object.fromEntries(Array.from({ length: 30 }, (_, i) => [id(i), c(1)])),
						version: 1
					},
					{
						kinds: ['tasks'],
						counts: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [id(i + 30), c(1)])),
						version: 2
					}
				]
			];
			for (const [a, b] of cases) {
				const [row] = rowsOf<{ merged: Hint }>(
					await getDb().execute(
						sql`select public.tongxing_merge_hints(${JSON.stringify(a)}::jsonb, ${JSON.stringify(b)}::jsonb) as merged`
					)
				);
				expect(row.merged).toEqual(mergeHints(a, b));
			}
		});

		it('two instances flushing together send at most one message per rate, covering every version', async () => {
			const rateMs = 250;
			await setTopicMaxRate(getDb(), rateMs);
			const other = openPostgres(withDatabase(inject('pgAdminUrl'), name), { max: 2 });
			const flushers = [
				await startHintFlusher(getDb(), rateMs),
				await startHintFlusher(other.db, rateMs)
			];
			try {
				const team = await makeTeam();
				const { id: eventId } = await makeEvent(team, { status: 'planned' });
				const topic = `event:${eventId}`;
				const task = await makeTask(team, eventId, { capacity: 30 });
				const people = [];
				for (let i = 0; i < 24; i++) people.push(await addMember(team));
				const before = (await messagesFor(topic)).length;
				const started = Date.now();
				// Bursts of claims at once for about a second.
				const outcomes = [];
				for (let i = 0; i < people.length; i += 6) {
					outcomes.push(
						...(await Promise.all(
							people
								.slice(i, i + 6)
								.map((p) =>
									tasks.claimTask(
										{ actor: asUser(p), teamId: team.teamId, eventId },
										task.id,
										key()
									)
								)
						))
					);
					await new Promise((r) => setTimeout(r, 200));
				}
				const lastVersion = Math.max(...outcomes.map((o) => o.version));
				await new Promise((r) => setTimeout(r, rateMs * 2 + 300));
				const elapsed = Date.now() - started;
				const rows = (await messagesFor(topic)).slice(before);
				const ranges = versionsOf(rows).map((v) => (Array.isArray(v) ? v : [v!, v!]));
				ranges.sort((x, y) => x[0] - y[0]);
				// Every version exactly once, no gap, no overlap.
				expect(ranges[0][0]).toBe(Math.min(...outcomes.map((o) => o.version)));
				for (let i = 1; i < ranges.length; i++) expect(ranges[i][0]).toBe(ranges[i - 1][1] + 1);
				expect(ranges.at(-1)![1]).toBe(lastVersion);
				// At most one message per rate for the topic, whoever sent it.
				expect(rows.length).toBeLessThanOrEqual(Math.ceil(elapsed / rateMs) + 1);
				expect(rows.length).toBeLessThan(people.length);
				const newest = rows.find((r) => {
					const v = (r.payload as Hint).version;
					return (Array.isArray(v) ? v[1] : v) === lastVersion;
				})!;
				expect((newest.payload as Hint).counts).toEqual(await countersOf(eventId));
			} finally {
				await Promise.all(flushers.map((f) => f.stop()));
				await other.close();
				await setTopicMaxRate(getDb(), 0);
			}
		});
	});
});
