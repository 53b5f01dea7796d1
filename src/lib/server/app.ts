// Starts what the server process needs once: the environment, the migrated database and, in
// self mode, the realtime hub (before the server takes its first upgrade).
import { readEnv, type Env } from './env';
import { initDatabase, type DbHandle } from './db';
import { bundledMigrations, localBootstrap } from './db/bundled-migrations';
import { startRealtime } from './realtime';
import { startRateLimitSweep } from './auth/rate-limit';
import { startRetentionSweeps } from './retention';

let env: Env | undefined;

export function appEnv(): Env {
	env ??= readEnv();
	return env;
}

export async function startApp(): Promise<DbHandle> {
	const env = appEnv();
	const handle = await initDatabase(env, {
		migrations: bundledMigrations,
		bootstrap: localBootstrap,
		log: (line) => console.log(`[db] ${line}`)
	});
	if (env.realtime === 'self') await startRealtime(handle, { env });
	// Incident text, notes and the community contact's details are erased a set time after
	// the event (DOMAIN.md, PIPL), hourly, whether or not anyone opens a page.
	startRetentionSweeps();
	// Counters whose window has ended are deleted, by one instance per database at a time.
	startRateLimitSweep();
	return handle;
}
