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
		const template = readFileSync(inject('pgliteTemplate'));
		beforeAll(async () => {
			const pg = await PGlite.create({ loadDataDir: new Blob([template]) });
			handle = openPglite(pg);
			setHandle(handle);
		});
		afterAll(async () => {
			setHandle(undefined);
			await handle?.close();
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
