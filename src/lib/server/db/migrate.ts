// Applies supabase/migrations/*.sql in order, each in its own transaction, under an advisory
// lock so that instances starting together migrate once. Versions are recorded in the
// Supabase CLI's own table, so `supabase db push` and this runner agree about what is applied.
import { createHash } from 'node:crypto';

export interface Migration {
	version: string;
	name: string;
	statements: string[];
}

/** One dedicated connection: the advisory lock belongs to the session that took it. */
export interface RawConnection {
	exec(sql: string): Promise<void>;
	query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}

const BREAKPOINT = /-->\s*statement-breakpoint[^\n]*/;
const FILE_NAME = /^(\d{14})_([a-z0-9_-]+)\.sql$/i;
// An arbitrary constant shared by every instance of the app.
const LOCK_KEY = 727_451_903;

export function splitStatements(sql: string): string[] {
	return sql
		.split(BREAKPOINT)
		.map((s) => s.trim())
		.filter((s) => s.replace(/--[^\n]*/g, '').trim().length > 0);
}

export function parseMigration(fileName: string, sql: string): Migration {
	const match = FILE_NAME.exec(fileName);
	if (!match)
		throw new Error(`Migration file name must be <14-digit timestamp>_<name>.sql: ${fileName}`);
	return { version: match[1], name: match[2], statements: splitStatements(sql) };
}

export function sortMigrations(migrations: Migration[]): Migration[] {
	const sorted = [...migrations].sort((a, b) => a.version.localeCompare(b.version));
	for (let i = 1; i < sorted.length; i++) {
		if (sorted[i].version === sorted[i - 1].version) {
			throw new Error(`Two migrations share version ${sorted[i].version}`);
		}
	}
	return sorted;
}

export interface MigrateOptions {
	/** SQL that creates what Supabase already has; run outside Supabase only. */
	bootstrap?: string;
	log?: (line: string) => void;
}

export async function runMigrations(
	conn: RawConnection,
	migrations: Migration[],
	options: MigrateOptions = {}
): Promise<string[]> {
	const log = options.log ?? (() => {});
	await conn.query('select pg_advisory_lock($1)', [LOCK_KEY]);
	try {
		if (options.bootstrap) await bootstrapOnce(conn, options.bootstrap);
		// Checked first: on a cold embedded start the catalog lookup is cheaper than the DDL.
		const [history] = await conn.query<{ present: boolean }>(
			"select to_regclass('supabase_migrations.schema_migrations') is not null as present"
		);
		if (!history?.present) {
			await createHistoryTable(conn);
		}
		const rows = await conn.query<{ version: string }>(
			'select version from supabase_migrations.schema_migrations'
		);
		const applied = new Set(rows.map((r) => r.version));
		const done: string[] = [];
		for (const migration of sortMigrations(migrations)) {
			if (applied.has(migration.version)) continue;
			await inTransaction(conn, migration.statements, async () => {
				await conn.query(
					'insert into supabase_migrations.schema_migrations (version, statements, name) values ($1, $2, $3)',
					[migration.version, migration.statements, migration.name]
				);
			});
			log(`migrated ${migration.version}_${migration.name}`);
			done.push(migration.version);
		}
		return done;
	} finally {
		await conn.query('select pg_advisory_unlock($1)', [LOCK_KEY]);
	}
}

function createHistoryTable(conn: RawConnection): Promise<void> {
	return inTransaction(conn, [
		'create schema if not exists supabase_migrations',
		`create table if not exists supabase_migrations.schema_migrations (
			version text not null primary key,
			statements text[],
			name text
		)`
	]);
}

/** The comment on schema `auth` that says which local bootstrap ran last. */
export function bootstrapMark(bootstrap: string): string {
	const hash = createHash('sha256').update(bootstrap).digest('hex').slice(0, 32);
	return `tongxing local bootstrap ${hash}`;
}

/**
 * Runs the local bootstrap unless this very text already ran here and its roles still exist
 * (roles are cluster-wide, a database may move). Idempotent either way; the check is one
 * catalog query, where running it again costs about 0.3 s of CPU on a cold embedded start.
 */
async function bootstrapOnce(conn: RawConnection, bootstrap: string): Promise<void> {
	const mark = bootstrapMark(bootstrap);
	const [state] = await conn.query<{ mark: string | null; roles: number }>(
		`select
			(select obj_description(n.oid, 'pg_namespace') from pg_namespace n
				where n.nspname = 'auth') as mark,
			(select count(*)::int from pg_roles
				where rolname in ('anon', 'authenticated', 'service_role')) as roles`
	);
	if (state?.mark === mark && Number(state.roles) === 3) return;
	await inTransaction(conn, [...splitStatements(bootstrap), `comment on schema auth is '${mark}'`]);
}

async function inTransaction(
	conn: RawConnection,
	statements: string[],
	after?: () => Promise<void>
): Promise<void> {
	await conn.exec('begin');
	try {
		for (const statement of statements) await conn.exec(statement);
		if (after) await after();
		await conn.exec('commit');
	} catch (err) {
		await conn.exec('rollback');
		throw err;
	}
}
