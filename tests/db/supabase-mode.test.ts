// Supabase mode, proven on a PostgreSQL shaped like a Supabase project (tests/fixtures/
// supabase-shape.sql): hosted Supabase itself cannot be reached from here, so its Realtime
// service is stood in for by probing the policies the way it does.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readFileSync } from 'node:fs';
import postgres from 'postgres';
import { getDb, openPostgres, setHandle, type DbHandle } from '../../src/lib/server/db';
import { runMigrations, splitStatements } from '../../src/lib/server/db/migrate';
import { readMigrations } from '../../src/lib/server/db/fs-migrations';
import { hint } from '../../src/lib/server/realtime/publish';
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
	});

	afterAll(async () => {
		if (previousMode === undefined) delete process.env.REALTIME;
		else process.env.REALTIME = previousMode;
		setHandle(undefined);
		await handle?.close();
		await admin.unsafe(`drop database if exists "${name}" with (force)`);
		await admin.end();
	});

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
		const claimed = await tasks.claimTask(as, team.teamId, eventId, task.id, key());
		const left = await tasks.withdrawFromTask(as, team.teamId, eventId, task.id);
		const rows = (await messagesFor(topic)).slice(before);
		const counts = (taken: number) => ({ [task.id]: { taken, capacity: 2, waiting: 0, full: 0 } });
		expect(rows).toEqual([
			{
				topic,
				event: 'hint',
				payload: {
					kinds: ['tasks', 'signups'],
					ids: [task.id],
					counts: counts(1),
					version: claimed.version
				},
				private: true,
				extension: 'broadcast'
			},
			{
				topic,
				event: 'hint',
				payload: {
					kinds: ['tasks', 'signups'],
					ids: [task.id],
					counts: counts(0),
					version: left.version
				},
				private: true,
				extension: 'broadcast'
			}
		]);
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
});
