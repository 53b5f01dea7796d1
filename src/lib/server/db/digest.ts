// A fingerprint of every table in the public schema: its row count and an md5 of its rows in
// a stable order. Backup/restore and the hostile-input tests compare two of these to prove
// that nothing was lost or changed.
import type { RawConnection } from './migrate';

export interface TableDigest {
	rows: number;
	md5: string;
}
export type DatabaseDigest = Record<string, TableDigest>;

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Tables of the public schema, sorted by name. */
export async function publicTables(conn: RawConnection): Promise<string[]> {
	const rows = await conn.query<{ name: string }>(
		`select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
		 where n.nspname = 'public' and c.relkind in ('r', 'p') order by c.relname`
	);
	return rows.map((r) => r.name);
}

/**
 * Row count and md5 of each public table; `except` leaves out tables that change by design.
 * One statement for all tables (a `union all`), so that a digest costs one round trip: the
 * hostile-input and isolation tests take one after every request.
 */
export async function databaseDigest(
	conn: RawConnection,
	options: { except?: readonly string[] } = {}
): Promise<DatabaseDigest> {
	const skip = new Set(options.except ?? []);
	const tables = (await publicTables(conn)).filter((table) => !skip.has(table));
	const digest: DatabaseDigest = {};
	if (tables.length === 0) return digest;
	const rows = await conn.query<{ i: number; rows: number | string; md5: string }>(
		tables
			.map(
				(table, i) =>
					`select ${i} as i, count(*) as rows,
					        md5(coalesce(string_agg(t::text, E'\\n' order by t::text), '')) as md5
					 from public.${quoteIdent(table)} t`
			)
			.join('\n union all ')
	);
	const byIndex = new Map(rows.map((row) => [Number(row.i), row]));
	tables.forEach((table, i) => {
		const row = byIndex.get(i);
		if (!row) throw new Error(`no digest row for table ${table}`);
		digest[table] = { rows: Number(row.rows), md5: row.md5 };
	});
	return digest;
}
