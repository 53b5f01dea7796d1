import { describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { inject } from 'vitest';
import {
	bootstrapMark,
	parseMigration,
	runMigrations,
	splitStatements,
	type RawConnection
} from '../../src/lib/server/db/migrate';
import { readMigrations } from '../../src/lib/server/db/fs-migrations';
import { openPostgres } from '../../src/lib/server/db';
import { isPostgres, useTestDatabase } from './helpers';
import { withDatabase } from './urls';

const t = useTestDatabase();
const { migrations, bootstrap } = readMigrations();

describe('migration runner', () => {
	it('records every migration in the Supabase CLI history table', async () => {
		const rows = await t.handle.withConnection((c) =>
			c.query<{ version: string; name: string; statements: string[] }>(
				'select version, name, statements from supabase_migrations.schema_migrations order by version'
			)
		);
		expect(rows.map((r) => r.version)).toEqual(migrations.map((m) => m.version).sort());
		expect(rows.every((r) => r.statements.length > 0)).toBe(true);
	});

	it('does nothing the second time', async () => {
		const applied = await t.handle.withConnection((c) =>
			runMigrations(c, migrations, { bootstrap })
		);
		expect(applied).toEqual([]);
	});

	it('runs the local bootstrap again only when its text changed', async () => {
		const ran: string[] = [];
		const spy = (c: RawConnection): RawConnection => ({
			exec: (sql) => {
				ran.push(sql);
				return c.exec(sql);
			},
			query: (sql, params) => c.query(sql, params)
		});
		const bootstrapRan = () => ran.some((s) => s.includes('create schema if not exists auth'));
		const markNow = () =>
			t.handle.withConnection(async (c) => {
				const [row] = await c.query<{ mark: string }>(
					"select obj_description('auth'::regnamespace, 'pg_namespace') as mark"
				);
				return row.mark;
			});
		expect(await markNow()).toBe(bootstrapMark(bootstrap));
		await t.handle.withConnection((c) => runMigrations(spy(c), migrations, { bootstrap }));
		expect(bootstrapRan()).toBe(false);

		const changed = `${bootstrap}\n--> statement-breakpoint\nselect 1;`;
		await t.handle.withConnection((c) => runMigrations(spy(c), migrations, { bootstrap: changed }));
		expect(bootstrapRan()).toBe(true);
		expect(await markNow()).toBe(bootstrapMark(changed));
	});

	it('rolls back a failing migration and records nothing of it', async () => {
		const bad = parseMigration(
			'29990101000000_bad.sql',
			'create table should_vanish (id int);\n--> statement-breakpoint\nselect * from no_such_table;'
		);
		await expect(
			t.handle.withConnection((c) => runMigrations(c, [...migrations, bad]))
		).rejects.toThrow(/no_such_table/);
		const rows = await t.handle.withConnection((c) =>
			c.query<{ n: number }>(
				`select (select count(*)::int from pg_class where relname = 'should_vanish')
				      + (select count(*)::int from supabase_migrations.schema_migrations where version = '29990101000000') as n`
			)
		);
		expect(rows[0].n).toBe(0);
	});

	it('splits on drizzle statement breakpoints and refuses badly named files', () => {
		expect(
			splitStatements(
				'a;\n--> statement-breakpoint\nb;\n--> statement-breakpoint\n-- only a comment\n'
			)
		).toEqual(['a;', 'b;']);
		expect(() => parseMigration('init.sql', 'select 1')).toThrow(/14-digit/);
	});

	it.runIf(isPostgres)('migrates once when instances start together', async () => {
		const adminUrl = inject('pgAdminUrl');
		const name = `${inject('pgTemplate')}_race${Date.now().toString(36)}`;
		const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
		await admin.unsafe(`create database "${name}"`);
		const handles = Array.from({ length: 4 }, () =>
			openPostgres(withDatabase(adminUrl, name), { max: 2 })
		);
		try {
			const results = await Promise.all(
				handles.map((h) => h.withConnection((c) => runMigrations(c, migrations, { bootstrap })))
			);
			expect(results.flat().sort()).toEqual(migrations.map((m) => m.version).sort());
			const rows = await handles[0].withConnection((c) =>
				c.query<{ n: number }>(
					'select count(*)::int as n from supabase_migrations.schema_migrations'
				)
			);
			expect(rows[0].n).toBe(migrations.length);
		} finally {
			await Promise.all(handles.map((h) => h.close()));
			await admin.unsafe(`drop database if exists "${name}" with (force)`);
			await admin.end({ timeout: 5 });
		}
	});
});
