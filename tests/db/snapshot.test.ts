// The build-time snapshot (src/lib/server/db/snapshot.ts): a first start that copies it ends
// with the same database as initdb + migrations, holds no secret, and a snapshot that does not
// match the build is not used.
import { describe, expect, inject, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { readEnv } from '../../src/lib/server/env';
import { openDatabase, openPglite, type DbHandle } from '../../src/lib/server/db';
import { runMigrations } from '../../src/lib/server/db/migrate';
import { readMigrations } from '../../src/lib/server/db/fs-migrations';
import {
	buildSnapshot,
	migrationHash,
	pgliteVersion,
	seedFromSnapshot,
	snapshotMismatch,
	type SnapshotManifest
} from '../../src/lib/server/db/snapshot';
import { isPostgres } from './helpers';

const { migrations, bootstrap } = readMigrations();

/** What migrations make: relations, columns, functions, policies, grants, history, roles. */
async function schemaOf(handle: DbHandle): Promise<Record<string, unknown[]>> {
	const q = (sql: string) => handle.withConnection((c) => c.query(sql));
	const schemas = `('public', 'auth', 'supabase_migrations')`;
	return {
		columns: await q(`select table_schema, table_name, column_name, data_type, column_default,
			is_nullable from information_schema.columns where table_schema in ${schemas}
			order by 1, 2, 3`),
		relations: await q(`select n.nspname, c.relname, c.relkind, c.relrowsecurity
			from pg_class c join pg_namespace n on n.oid = c.relnamespace
			where n.nspname in ${schemas} order by 1, 2`),
		indexes: await q(`select schemaname, indexname, indexdef from pg_indexes
			where schemaname in ${schemas} order by 1, 2`),
		constraints: await q(`select conrelid::regclass::text as rel, conname,
			pg_get_constraintdef(oid) as def from pg_constraint
			where connamespace::regnamespace::text in ${schemas} order by 1, 2`),
		functions: await q(`select p.oid::regprocedure::text as fn, p.prosrc, p.prosecdef
			from pg_proc p where p.pronamespace::regnamespace::text in ${schemas} order by 1`),
		triggers: await q(`select tgrelid::regclass::text as rel, tgname from pg_trigger
			where not tgisinternal order by 1, 2`),
		policies: await q(`select schemaname, tablename, policyname, roles::text, cmd, qual,
			with_check from pg_policies order by 1, 2, 3`),
		grants: await q(`select grantee, table_schema, table_name, privilege_type
			from information_schema.role_table_grants
			where grantee in ('anon', 'authenticated', 'service_role') order by 1, 2, 3, 4`),
		roles: await q(`select rolname, rolcanlogin, rolinherit from pg_roles
			where rolname in ('anon', 'authenticated', 'service_role') order by 1`),
		history: await q(`select version, name, statements
			from supabase_migrations.schema_migrations order by version`),
		comments: await q(`select obj_description(oid, 'pg_namespace') as note from pg_namespace
			where nspname = 'auth'`)
	};
}

function fakeSnapshot(manifest: Partial<SnapshotManifest>): string {
	const dir = mkdtempSync(join(tmpdir(), 'tongxing-snap-'));
	mkdirSync(join(dir, 'pgdata'));
	writeFileSync(join(dir, 'pgdata', 'PG_VERSION'), '18\n');
	const full: SnapshotManifest = {
		pglite: pgliteVersion(),
		migrations: {},
		bootstrap: '',
		createdAt: new Date().toISOString(),
		...manifest
	};
	writeFileSync(join(dir, 'manifest.json'), JSON.stringify(full));
	return dir;
}

// PGlite only: the snapshot is of an embedded cluster (the db-pg project has nothing to copy).
describe.skipIf(isPostgres)('build-time snapshot of the embedded cluster', () => {
	it('a first start from a stale snapshot ends with what initdb + migrations give', async () => {
		// Made without the last migration: the start-up check must apply it.
		const snapshotDir = join(mkdtempSync(join(tmpdir(), 'tongxing-snap-')), 'snapshot');
		const manifest = await buildSnapshot(snapshotDir, migrations.slice(0, -1), bootstrap);
		expect(Object.keys(manifest.migrations)).toHaveLength(migrations.length - 1);

		const env = readEnv({ DATA_DIR: mkdtempSync(join(tmpdir(), 'tongxing-embedded-')) });
		const lines: string[] = [];
		const seeded = await openDatabase(env, {
			snapshotDir,
			migrations,
			log: (line) => lines.push(line)
		});
		const reference = openPglite(
			await PGlite.create({
				loadDataDir: new Blob([new Uint8Array(readFileSync(inject('pgliteTemplate')))])
			})
		);
		try {
			expect(lines.join('\n')).toContain("copied the build's snapshot");
			// No installation shares another's secrets: nothing is stored before the app starts.
			const settings = await seeded.withConnection((c) =>
				c.query<{ n: number }>('select count(*)::int as n from app_setting')
			);
			expect(settings[0].n).toBe(0);
			const applied = await seeded.withConnection((c) =>
				runMigrations(c, migrations, { bootstrap })
			);
			expect(applied).toEqual([
				migrations
					.map((m) => m.version)
					.sort()
					.at(-1)
			]);
			const expected = await schemaOf(reference);
			expect(expected.columns.length).toBeGreaterThan(50);
			// The bootstrap's roles, and row level security on the app's tables (no policies or
			// grants for those roles outside Supabase: the comparison below covers them anyway).
			expect(expected.roles).toHaveLength(3);
			expect(
				(expected.relations as { relrowsecurity: boolean }[]).filter((r) => r.relrowsecurity).length
			).toBeGreaterThan(10);
			expect(await schemaOf(seeded)).toEqual(expected);
		} finally {
			await seeded.close();
			await reference.close();
		}
		// A restart finds the folder in use and copies nothing over it.
		expect(seedFromSnapshot(join(env.dataDir, 'pgdata'), snapshotDir, migrations)).toEqual({
			seeded: false,
			reason: 'existing'
		});
	}, 180_000);

	it('is not used when missing or when it does not match the build: initdb runs instead', () => {
		const pgdata = join(mkdtempSync(join(tmpdir(), 'tongxing-embedded-')), 'pgdata');
		expect(seedFromSnapshot(pgdata, undefined, migrations).seeded).toBe(false);
		expect(seedFromSnapshot(pgdata, join(pgdata, 'nowhere'), migrations)).toMatchObject({
			reason: 'missing'
		});
		const [first] = migrations;
		const hashes = { [first.version]: migrationHash(first.statements) };
		const cases: [Partial<SnapshotManifest>, RegExp][] = [
			[{ pglite: '0.0.1', migrations: hashes }, /PGlite 0\.0\.1/],
			[{ migrations: { [first.version]: 'changed' } }, /has changed/],
			[{ migrations: { ...hashes, '29990101000000': 'x' } }, /does not have/]
		];
		for (const [manifest, detail] of cases) {
			const result = seedFromSnapshot(pgdata, fakeSnapshot(manifest), migrations);
			expect(result).toMatchObject({ seeded: false, reason: 'mismatch' });
			expect(result.seeded === false && result.detail).toMatch(detail);
			expect(existsSync(pgdata)).toBe(false);
		}
		// A matching one (fewer migrations than the build is fine: they are applied after).
		expect(snapshotMismatch(readManifest(fakeSnapshot({})), migrations, '9.9.9')).toMatch(
			/9\.9\.9 is installed/
		);
		expect(seedFromSnapshot(pgdata, fakeSnapshot({ migrations: hashes }), migrations)).toEqual({
			seeded: true,
			migrations: 1
		});
		expect(readFileSync(join(pgdata, 'PG_VERSION'), 'utf8')).toBe('18\n');
		expect(existsSync(`${pgdata}.seeding`)).toBe(false);
	});
});

function readManifest(dir: string): SnapshotManifest {
	return JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as SnapshotManifest;
}
