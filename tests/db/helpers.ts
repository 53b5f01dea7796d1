// Gives each test file a database: a PGlite loaded from the migrated template, or, on
// PostgreSQL, a database copied from the migrated template. The tests of a file share it (and
// so are written not to depend on an empty database), on both drivers alike.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, inject } from 'vitest';
import { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';
import { openPglite, openPostgres, setHandle, type DbHandle } from '../../src/lib/server/db';
import { withDatabase } from './urls';

export const isPostgres = process.env.TEST_DB_DRIVER === 'postgres';

/**
 * In the PGlite smoke (project db-smoke, whose files each run one test and do not isolate their
 * modules) the files of one worker share one PGlite, loaded once (loading one costs ~0.5–1 s,
 * more than most smoke tests) and emptied before each later file: every table the migrations
 * made is truncated, which gives the file the database a fresh load would (the migrations insert
 * no rows; their own bookkeeping in `supabase_migrations` stays). Everywhere else each file loads
 * its own.
 */
const sharedPglite = process.env.TEST_PGLITE_SHARED === '1';
let shared: { pg: PGlite; handle: DbHandle; used: boolean } | undefined;
async function sharedPgliteHandle(templateFile: string): Promise<DbHandle> {
	if (!shared) {
		const pg = await PGlite.create({ loadDataDir: new Blob([readFileSync(templateFile)]) });
		shared = { pg, handle: openPglite(pg), used: false };
	}
	if (shared.used) await emptyAllTables(shared.pg);
	shared.used = true;
	return shared.handle;
}

async function emptyAllTables(pg: PGlite): Promise<void> {
	const { rows } = await pg.query<{ name: string }>(
		`select format('%I.%I', schemaname, tablename) as name from pg_tables
		 where schemaname not in ('pg_catalog', 'information_schema', 'supabase_migrations')`
	);
	if (rows.length > 0) {
		await pg.exec(`truncate ${rows.map((r) => r.name).join(', ')} restart identity cascade`);
	}
}

export interface TestDatabase {
	readonly handle: DbHandle;
	/** The PostgreSQL URL of this file's database (PostgreSQL only). */
	readonly url: string;
}

export function useTestDatabase(options: { poolMax?: number } = {}): TestDatabase {
	let handle: DbHandle | undefined;
	let url = '';
	const state: TestDatabase = {
		get handle() {
			if (!handle) throw new Error('no test database yet');
			return handle;
		},
		get url() {
			return url;
		}
	};

	if (!isPostgres) {
		const templateFile = inject('pgliteTemplate');
		beforeAll(async () => {
			handle = sharedPglite
				? await sharedPgliteHandle(templateFile)
				: openPglite(await PGlite.create({ loadDataDir: new Blob([readFileSync(templateFile)]) }));
			setHandle(handle);
		});
		afterAll(async () => {
			setHandle(undefined);
			if (!sharedPglite) await handle?.close();
			handle = undefined;
		});
		return state;
	}

	const adminUrl = inject('pgAdminUrl');
	const template = inject('pgTemplate');
	const name = `${template}_f${Math.random().toString(36).slice(2, 10)}`;
	beforeAll(async () => {
		const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
		await admin.unsafe(`create database "${name}" template "${template}"`);
		await admin.end({ timeout: 5 });
		url = withDatabase(adminUrl, name);
		handle = openPostgres(url, { max: options.poolMax ?? 10 });
		setHandle(handle);
	});
	afterAll(async () => {
		setHandle(undefined);
		await handle?.close();
		handle = undefined;
		const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
		await admin.unsafe(`drop database if exists "${name}" with (force)`);
		await admin.end({ timeout: 5 });
	});
	return state;
}
