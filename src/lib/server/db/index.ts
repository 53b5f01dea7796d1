// One database handle per process: PGlite in DATA_DIR (embedded mode) or postgres.js
// (DATABASE_URL). Kept on a globalThis symbol so that Vite's module reloading and the
// realtime hub never open a file-backed PGlite twice.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import * as schema from './schema';
import { runMigrations, type Migration, type RawConnection } from './migrate';
import { lockDataDir } from './lock';
import { takeEarlyOpen } from './early-open';
import { seedFromSnapshot } from './snapshot';
import { preparingAll } from './prepare-all-statements';
import { PgliteThread } from './pglite-thread';
import type { DbMode, Env } from '../env';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Either the database or a transaction: what read helpers accept. */
export type Queryable = Db | Tx;

export type Unlisten = () => Promise<void>;

export interface DbHandle {
	mode: DbMode;
	db: Db;
	/** Runs `fn` on one dedicated connection (advisory locks, migrations). */
	withConnection<T>(fn: (conn: RawConnection) => Promise<T>): Promise<T>;
	/**
	 * LISTEN on a channel; the realtime hub uses it to hear `pg_notify` from any instance.
	 * `onReconnect` runs each time the listening connection is back after a loss (anything sent
	 * meanwhile was missed).
	 */
	listen(
		channel: string,
		onPayload: (payload: string) => void,
		onReconnect?: () => void
	): Promise<Unlisten>;
	close(): Promise<void>;
}

const KEY = Symbol.for('tongxing.db');
type Holder = { handle?: DbHandle; opening?: Promise<DbHandle> };
const holder: Holder =
	((globalThis as Record<symbol, unknown>)[KEY] as Holder | undefined) ??
	((globalThis as Record<symbol, unknown>)[KEY] = {});

export function openPglite(pg: PGlite, onClose: () => void = () => {}): DbHandle {
	const rawConnection: RawConnection = {
		exec: async (sql) => {
			await pg.exec(sql);
		},
		query: async <T>(sql: string, params?: unknown[]) =>
			(await pg.query<T>(sql, params as unknown[])).rows
	};
	return {
		mode: 'embedded',
		db: drizzlePglite(pg, { schema }) as unknown as Db,
		// PGlite has a single connection: every caller already holds it.
		withConnection: (fn) => fn(rawConnection),
		listen: async (channel, onPayload) => {
			const unlisten = await pg.listen(channel, onPayload);
			return async () => unlisten();
		},
		close: async () => {
			try {
				if (!pg.closed) await pg.close();
			} finally {
				onClose();
			}
		}
	};
}

export function openPostgres(
	url: string,
	options: { max?: number; prepare?: boolean } = {}
): DbHandle {
	const prepare = options.prepare ?? true;
	const client = postgres(url, {
		max: options.max ?? 10,
		prepare,
		onnotice: () => {},
		// int8 as number: counts and sums stay below 2^53.
		types: { bigint: postgres.BigInt }
	});
	return {
		mode: 'postgres',
		db: drizzlePostgres(prepare ? preparingAll(client) : client, { schema }) as unknown as Db,
		withConnection: async (fn) => {
			const reserved = await client.reserve();
			try {
				return await fn({
					exec: async (sql) => {
						await reserved.unsafe(sql);
					},
					query: async <T>(sql: string, params?: unknown[]) =>
						(await reserved.unsafe(
							sql,
							params as postgres.ParameterOrJSON<never>[]
						)) as unknown as T[]
				});
			} finally {
				reserved.release();
			}
		},
		listen: async (channel, onPayload, onReconnect) => {
			let isFirst = true;
			const meta = await client.listen(channel, onPayload, () => {
				if (!isFirst) onReconnect?.();
				isFirst = false;
			});
			return () => meta.unlisten();
		},
		close: () => client.end({ timeout: 5 })
	};
}

export interface OpenOptions {
	/**
	 * Embedded mode: a build-time snapshot (snapshot.ts) to copy into an empty data folder
	 * instead of running initdb; used only when it matches `migrations` and the installed PGlite.
	 */
	snapshotDir?: string;
	migrations?: Migration[];
	log?: (line: string) => void;
}

export async function openDatabase(env: Env, options: OpenOptions = {}): Promise<DbHandle> {
	if (env.mode === 'postgres' && env.databaseUrl) {
		return openPostgres(env.databaseUrl, {
			max: env.databasePoolMax,
			prepare: env.databasePrepare
		});
	}
	// PGlite creates only the last folder of its path.
	mkdirSync(env.dataDir, { recursive: true });
	const pgdata = join(env.dataDir, 'pgdata');
	// server.js may have started opening it already, lock taken, while this bundle loaded.
	const early = await takeEarlyOpen(pgdata);
	const release = early?.release ?? lockDataDir(env.dataDir);
	try {
		if (!early && options.snapshotDir && options.migrations) {
			seedQuietly(pgdata, options.snapshotDir, options.migrations, options.log);
		}
		// In a worker thread: PGlite's WebAssembly would otherwise run every query on this one.
		const pg = await PgliteThread.open(pgdata, early?.worker);
		return openPglite(pg.asPglite(), release);
	} catch (err) {
		release();
		throw err;
	}
}

/** A snapshot that cannot be used is only a slower first start: initdb runs as before. */
function seedQuietly(
	pgdata: string,
	snapshotDir: string,
	migrations: Migration[],
	log: (line: string) => void = () => {}
): void {
	try {
		const result = seedFromSnapshot(pgdata, snapshotDir, migrations);
		if (result.seeded) {
			log(`new data folder: copied the build's snapshot (${result.migrations} migrations)`);
		} else if (result.reason !== 'existing') {
			log(
				`new data folder: running initdb (snapshot ${result.reason}${result.detail ? `: ${result.detail}` : ''})`
			);
		}
	} catch (err) {
		rmSync(`${pgdata}.seeding`, { recursive: true, force: true });
		log(`new data folder: running initdb (copying the snapshot failed: ${String(err)})`);
	}
}

export interface InitOptions {
	migrations: Migration[];
	bootstrap: string;
	/** See OpenOptions.snapshotDir. */
	snapshotDir?: string;
	log?: (line: string) => void;
}

/** Opens (once per process) and migrates the database. */
export function initDatabase(env: Env, options: InitOptions): Promise<DbHandle> {
	if (holder.handle) return Promise.resolve(holder.handle);
	holder.opening ??= (async () => {
		const handle = await openDatabase(env, {
			snapshotDir: options.snapshotDir,
			migrations: options.migrations,
			log: options.log
		});
		try {
			await handle.withConnection((conn) =>
				runMigrations(conn, options.migrations, {
					bootstrap: env.realtime === 'supabase' ? undefined : options.bootstrap,
					log: options.log
				})
			);
		} catch (err) {
			await handle.close();
			throw err;
		}
		holder.handle = handle;
		return handle;
	})();
	return holder.opening.finally(() => {
		holder.opening = undefined;
	});
}

export function getHandle(): DbHandle {
	if (!holder.handle) throw new Error('The database is not open yet');
	return holder.handle;
}

export function getDb(): Db {
	return getHandle().db;
}

/** Tests and scripts install their own handle. */
export function setHandle(handle: DbHandle | undefined): void {
	holder.handle = handle;
}

export async function closeDatabase(): Promise<void> {
	const handle = holder.handle;
	holder.handle = undefined;
	if (handle) await handle.close();
}

/** Rows of a raw `db.execute`: PGlite returns `{ rows }`, postgres.js an array. */
export function rowsOf<T>(result: unknown): T[] {
	if (Array.isArray(result)) return result as T[];
	return ((result as { rows?: T[] }).rows ?? []) as T[];
}
