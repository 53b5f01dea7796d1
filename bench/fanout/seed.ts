// The fan-out scenario's data, made in the bench process before the server starts (a file-backed
// PGlite is opened by one process only) with the same factories as the tests and the other
// scenarios: a captain, one event with open tasks, and many volunteers who joined through an
// invite. Sessions (cookies) for those who claim; the realtime secrets the server will use.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
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
import { makeEvent } from '../../tests/factories/events';
import { makeTask } from '../../tests/factories/tasks';
import { makeTeam } from '../../tests/factories/teams';
import { addVolunteers } from '../support/seed';

const root = resolve(import.meta.dirname, '../..');

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
		const tag = crypto.randomUUID().slice(0, 8);
		const team = await makeTeam(`Fan-out ${tag}`);
		const event = await makeEvent(team, { title: `Fan-out ${tag}`, status: 'planned' });
		const taskIds: string[] = [];
		for (let i = 0; i < options.taskCount; i++) {
			const task = await makeTask(team, event.id, {
				title: `Task ${i + 1}`,
				capacity: options.capacity
			});
			taskIds.push(task.id);
		}
		const volunteers = await addVolunteers(team, options.members, {
			width: 4,
			sessions: options.sessions,
			log: options.log
		});
		const members = volunteers.map(({ id, token }): Member =>
			token ? { id, session: token } : { id }
		);
		const secrets = await loadRealtimeSecrets(handle.db, env);
		return {
			teamId: team.teamId,
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
