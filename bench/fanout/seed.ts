// The fan-out scenario's data, made in the bench process through the domain commands before the
// server starts (a file-backed PGlite is opened by one process only): a captain, one event with
// open tasks, and many volunteers who joined through an invite, all sharing one password hash.
// Sessions (cookies) for those who claim; the realtime secrets the server will use.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import * as accounts from '../../src/lib/server/accounts';
import * as teams from '../../src/lib/server/teams';
import * as events from '../../src/lib/server/events';
import * as tasks from '../../src/lib/server/tasks';
import { memoizedPasswordHash } from '../../src/lib/server/auth/password';
import { createSession } from '../../src/lib/server/auth/session';
import {
	closeDatabase,
	initDatabase,
	openPglite,
	setHandle,
	type DbHandle
} from '../../src/lib/server/db';
import { runMigrations } from '../../src/lib/server/db/migrate';
import { readMigrations } from '../../src/lib/server/db/fs-migrations';
import { readEnv } from '../../src/lib/server/env';
import { loadRealtimeSecrets } from '../../src/lib/server/realtime/secrets';
import { addDays, todayIn } from '../../src/lib/time';

const root = resolve(import.meta.dirname, '../..');
const PASSWORD = 'fan-out bench password';
const MAX_INVITE_USES = 1000;

export interface SeedOptions {
	dataDir?: string;
	databaseUrl?: string;
	/** Volunteers besides the captain. */
	members: number;
	/** The first `sessions` volunteers get a session cookie (the claimers). */
	sessions: number;
	taskCount: number;
	capacity: number;
	log: (line: string) => void;
}

export interface Member {
	id: string;
	/** The session token, the value of the `session` cookie over plain http. */
	session?: string;
}

export interface Fixture {
	teamId: string;
	eventId: string;
	taskIds: string[];
	members: Member[];
	anonKey: string;
	jwtSecret: string;
	seedMs: number;
}

/**
 * Embedded mode seeds an in-memory PGlite (a file-backed one flushes every transaction: about
 * ten times slower here) and then writes its dump into the data folder the server will open.
 */
async function openSeedDatabase(env: ReturnType<typeof readEnv>): Promise<{
	handle: DbHandle;
	finish(): Promise<void>;
}> {
	const { migrations, bootstrap } = readMigrations(root);
	if (env.mode === 'postgres') {
		const handle = await initDatabase(env, { migrations, bootstrap });
		return { handle, finish: () => closeDatabase() };
	}
	const pg = await PGlite.create();
	const handle = openPglite(pg);
	await handle.withConnection((conn) => runMigrations(conn, migrations, { bootstrap }));
	setHandle(handle);
	return {
		handle,
		async finish() {
			setHandle(undefined);
			const dump = await pg.dumpDataDir('none');
			await pg.close();
			mkdirSync(env.dataDir, { recursive: true });
			const onDisk = await PGlite.create(join(env.dataDir, 'pgdata'), { loadDataDir: dump });
			await onDisk.close();
		}
	};
}

export async function seed(options: SeedOptions): Promise<Fixture> {
	const started = performance.now();
	const env = readEnv({
		DATA_DIR: options.dataDir,
		DATABASE_URL: options.databaseUrl,
		DATABASE_POOL_MAX: '4'
	});
	const { handle, finish } = await openSeedDatabase(env);
	try {
		const passwordHash = await memoizedPasswordHash(PASSWORD)();
		const tag = crypto.randomUUID().slice(0, 8);
		const person = (n: number | string) => ({
			email: `fanout-${tag}-${n}@example.test`,
			displayName: `Volunteer ${n}`,
			password: PASSWORD
		});
		const captain = await accounts.signUp(person('captain'), { passwordHash });
		const actor = { userId: captain.id };
		const team = await teams.createTeam(actor, { name: `Fan-out ${tag}` });
		const event = await events.createEvent(actor, team.id, {
			title: `Fan-out ${tag}`,
			date: addDays(todayIn('Asia/Shanghai'), 14),
			startTime: '08:30',
			endTime: '12:30',
			useTemplate: false
		});
		await events.changeStatus({ actor, teamId: team.id, eventId: event.id }, 'planned');
		const taskIds: string[] = [];
		for (let i = 0; i < options.taskCount; i++) {
			const task = await tasks.createTask(
				{ actor, teamId: team.id, eventId: event.id },
				{
					kind: 'tutoring',
					title: `Task ${i + 1}`,
					date: addDays(todayIn('Asia/Shanghai'), 14),
					startTime: '09:00',
					endTime: '10:00',
					capacity: options.capacity
				}
			);
			taskIds.push(task.id);
		}

		const members: Member[] = [];
		let invite = '';
		for (let i = 0; i < options.members; i++) {
			if (i % MAX_INVITE_USES === 0) {
				const uses = Math.min(MAX_INVITE_USES, options.members - i);
				invite = (await teams.createInvite(actor, team.id, { role: 'volunteer', maxUses: uses }))
					.token;
			}
			const user = await accounts.signUp(person(i + 1), { passwordHash });
			await teams.acceptInvite({ userId: user.id }, invite);
			const member: Member = { id: user.id };
			if (i < options.sessions) member.session = (await createSession(user.id)).token;
			members.push(member);
			if ((i + 1) % 250 === 0) options.log(`  seeded ${i + 1}/${options.members} members`);
		}
		const secrets = await loadRealtimeSecrets(handle.db, env);
		return {
			teamId: team.id,
			eventId: event.id,
			taskIds,
			members,
			anonKey: secrets.anonKey,
			jwtSecret: secrets.jwtSecret,
			seedMs: performance.now() - started
		};
	} finally {
		await finish();
	}
}
