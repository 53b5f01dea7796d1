import { describe, expect, it } from 'vitest';
import { useTestDatabase } from './helpers';

const t = useTestDatabase();

// Exposing the database through Supabase's REST API must leak nothing: every table of ours
// has row level security on and no policy that lets anon or authenticated in.
describe('row level security', () => {
	it('is enabled on every table in the catalogue', async () => {
		const rows = await t.handle.withConnection((c) =>
			c.query<{ schema: string; table: string; rls: boolean }>(`
				select n.nspname as schema, c.relname as table, c.relrowsecurity as rls
				from pg_class c join pg_namespace n on n.oid = c.relnamespace
				where c.relkind in ('r', 'p')
				  and n.nspname not in ('pg_catalog', 'information_schema', 'supabase_migrations')
				  and n.nspname not like 'pg_toast%' and n.nspname not like 'pg_temp%'
				order by 1, 2`)
		);
		expect(rows.length).toBeGreaterThan(0);
		const without = rows.filter((r) => !r.rls).map((r) => `${r.schema}.${r.table}`);
		expect(without).toEqual([]);
	});

	it('has no policy for anon, authenticated or public on our tables', async () => {
		const rows = await t.handle.withConnection((c) =>
			c.query<{ policy: string }>(`
				select schemaname || '.' || tablename || ':' || policyname as policy
				from pg_policies
				where schemaname not in ('realtime', 'storage')
				  and roles && array['anon', 'authenticated', 'public']::name[]`)
		);
		expect(rows).toEqual([]);
	});

	it('denies the anon role every row even where it holds table privileges', async () => {
		const result = await t.handle.withConnection(async (c) => {
			await c.exec('begin');
			try {
				await c.exec("insert into app_setting (key, value) values ('rls-probe', 'x')");
				await c.exec('grant select on app_setting to anon');
				await c.exec('set local role anon');
				return await c.query<{ n: number }>('select count(*)::int as n from app_setting');
			} finally {
				await c.exec('rollback');
			}
		});
		expect(result[0].n).toBe(0);
	});
});
