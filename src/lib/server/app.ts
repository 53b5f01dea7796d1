// Starts what the server process needs once: the environment, the migrated database and, in
// self mode, the realtime hub (before the server takes its first upgrade).
import { resolve } from 'node:path';
import { readEnv, type Env } from './env';
import { initDatabase, type DbHandle } from './db';
import { bundledMigrations, localBootstrap } from './db/bundled-migrations';
import { startRealtime } from './realtime';
import { startHintFlusher } from './realtime/coalesce';
import { startRateLimitSweep } from './auth/rate-limit';
import { startRetentionSweeps } from './retention';
import { SNAPSHOT_DIR } from './db/snapshot';
import { startSessionCache } from './auth/session-cache';

/**
 * The hourly sweeps first run this long after start-up rather than during it: on embedded
 * mode's single connection their queries (cold catalog caches) would otherwise hold up the
 * first requests. They are hourly duties; a few seconds later changes nothing they promise.
 */
const SWEEPS_AFTER_START_MS = 15_000;

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
		// server.js names the snapshot beside its build; elsewhere (vite dev) the project's.
		snapshotDir: process.env.TONGXING_PGDATA_SNAPSHOT || resolve(SNAPSHOT_DIR),
		log: (line) => console.log(`[db] ${line}`)
	});
	if (env.realtime === 'self') {
		await startRealtime(handle, { env });
		// Its invalidations come over LISTEN, as the hub's messages do (not in supabase mode:
		// the transaction pooler cannot LISTEN).
		if (env.sessionCacheMs > 0) await startSessionCache(handle, env.sessionCacheMs);
	} else {
		// Supabase counts every message each client receives: a topic's hints are coalesced.
		await startHintFlusher(handle.db, env.realtimeTopicMaxRateMs);
	}
	const sweeps = setTimeout(() => {
		// Incident text, notes and the community contact's details are erased a set time after
		// the event (DOMAIN.md, PIPL), hourly, whether or not anyone opens a page.
		startRetentionSweeps();
		// Counters whose window has ended are deleted, by one instance per database at a time.
		startRateLimitSweep();
	}, SWEEPS_AFTER_START_MS);
	sweeps.unref();
	return handle;
}
