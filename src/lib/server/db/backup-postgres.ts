// PostgreSQL backup and restore: `pg_dump --format=custom` and `pg_restore --single-transaction`,
// so a failed restore rolls back whole. Both refuse client tools older than the server.
import { spawn } from 'node:child_process';
import { mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import postgres from 'postgres';
import { openPostgres } from './index';
import { databaseDigest, type DatabaseDigest } from './digest';
import {
	BackupError,
	migrationCount,
	wrongKind,
	type BackupSummary,
	type RestoreSummary
} from './backup-files';

interface Tool {
	name: 'pg_dump' | 'pg_restore';
	major: number;
	version: string;
}

function run(
	command: string,
	args: string[],
	env: NodeJS.ProcessEnv
): Promise<{ code: number; stdout: string; stderr: string }> {
	return new Promise((resolveRun, reject) => {
		const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
		child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
		child.on('error', reject);
		child.on('close', (code) => resolveRun({ code: code ?? 1, stdout, stderr }));
	});
}

const INSTALL_HINT =
	'Install the PostgreSQL client tools of the same major version as the server or newer ' +
	'(Debian: apt-get install postgresql-client-<major>) and put their bin folder first on PATH.';

async function findTool(name: Tool['name'], serverMajor: number): Promise<Tool> {
	let out: string;
	try {
		out = (await run(name, ['--version'], process.env)).stdout.trim();
	} catch (err) {
		if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
			throw new BackupError(`${name} was not found on PATH. ${INSTALL_HINT}`);
		}
		throw err;
	}
	const match = /\)\s*(\d+)(?:\.(\d+))?/.exec(out);
	if (!match) throw new BackupError(`Could not read the version of ${name}: "${out}".`);
	const major = Number(match[1]);
	if (major < serverMajor) {
		throw new BackupError(
			`${name} is version ${major}, older than the server (PostgreSQL ${serverMajor}). ${INSTALL_HINT}`
		);
	}
	return { name, major, version: out };
}

/** libpq reads the password from the environment, so it never shows in a process list. */
function libpqTarget(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
	const u = new URL(url);
	const password = decodeURIComponent(u.password);
	u.password = '';
	const env: NodeJS.ProcessEnv = { ...process.env };
	if (password) env.PGPASSWORD = password;
	return { dbname: u.toString(), env };
}

async function serverMajor(url: string): Promise<number> {
	const sql = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 10 });
	try {
		const [row] = await sql<{ v: number }[]>`
			select current_setting('server_version_num')::int as v`;
		return Math.floor(row.v / 10000);
	} catch (err) {
		throw new BackupError(`Cannot reach the database (DATABASE_URL): ${(err as Error).message}`);
	} finally {
		await sql.end({ timeout: 5 });
	}
}

async function inspect(url: string): Promise<{ digest: DatabaseDigest; migrations: number }> {
	const handle = openPostgres(url, { max: 1 });
	try {
		return await handle.withConnection(async (conn) => ({
			digest: await databaseDigest(conn),
			migrations: await migrationCount(conn)
		}));
	} finally {
		await handle.close();
	}
}

/** Tables, views, sequences or schemas of our own: anything a restore would collide with. */
export async function isDatabaseEmpty(url: string): Promise<boolean> {
	const sql = postgres(url, { max: 1, onnotice: () => {} });
	try {
		const [row] = await sql<{ n: number }[]>`
			select (select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace
			        where n.nspname not in ('pg_catalog', 'information_schema')
			          and n.nspname not like 'pg_toast%' and n.nspname not like 'pg_temp%')
			     + (select count(*) from pg_namespace
			        where nspname not in ('public', 'pg_catalog', 'information_schema')
			          and nspname not like 'pg_toast%' and nspname not like 'pg_temp%')
			     as n`;
		return Number(row.n) === 0;
	} finally {
		await sql.end({ timeout: 5 });
	}
}

export async function backupPostgres(url: string, file: string): Promise<BackupSummary> {
	const started = Date.now();
	const tool = await findTool('pg_dump', await serverMajor(url));
	const { digest, migrations } = await inspect(url);
	if (migrations < 1) {
		throw new BackupError('The database (DATABASE_URL) has no Tongxing migrations applied.');
	}
	mkdirSync(dirname(resolve(file)), { recursive: true });
	const partial = `${file}.partial`;
	const { dbname, env } = libpqTarget(url);
	const result = await run(
		tool.name,
		['--format=custom', '--no-owner', `--file=${partial}`, `--dbname=${dbname}`],
		env
	);
	if (result.code !== 0) {
		rmSync(partial, { force: true });
		throw new BackupError(`pg_dump failed:\n${result.stderr.trim()}`);
	}
	renameSync(partial, file);
	return { file, bytes: statSync(file).size, digest, migrations, ms: Date.now() - started };
}

// Cluster-wide roles the app's grants name (supabase/local-bootstrap.sql creates the same);
// a restore into a new server needs them before the grants.
const ROLES_SQL = `do $$
declare role_name text;
begin
	foreach role_name in array array['anon', 'authenticated', 'service_role'] loop
		if not exists (select 1 from pg_roles where rolname = role_name) then
			begin
				execute format('create role %I nologin noinherit', role_name);
			exception when duplicate_object or unique_violation then
				null;
			end;
		end if;
	end loop;
end $$`;

export async function restorePostgres(
	file: string,
	url: string,
	options: { clean?: boolean } = {}
): Promise<RestoreSummary> {
	const started = Date.now();
	const refusal = wrongKind(file, 'postgres');
	if (refusal) throw refusal;
	const tool = await findTool('pg_restore', await serverMajor(url));
	const empty = await isDatabaseEmpty(url);
	if (!empty && !options.clean) {
		throw new BackupError(
			'The target database (DATABASE_URL) is not empty. Restore into a new database ' +
				'(createdb …), or add --clean to drop and replace the objects the backup holds.'
		);
	}
	const sql = postgres(url, { max: 1, onnotice: () => {} });
	try {
		await sql.unsafe(ROLES_SQL);
	} finally {
		await sql.end({ timeout: 5 });
	}
	const { dbname, env } = libpqTarget(url);
	const args = ['--single-transaction', '--exit-on-error', '--no-owner', `--dbname=${dbname}`];
	if (!empty) args.push('--clean', '--if-exists');
	const result = await run(tool.name, [...args, file], env);
	if (result.code !== 0) {
		throw new BackupError(
			`pg_restore failed and rolled back (the database is as it was):\n${result.stderr.trim()}`
		);
	}
	const { digest, migrations } = await inspect(url);
	return { digest, migrations, ms: Date.now() - started };
}
