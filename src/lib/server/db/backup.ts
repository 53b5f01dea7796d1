// Backup and restore for both database modes (`npm run db:backup`, `npm run db:restore`).
//
// Embedded: a physical copy of the PGlite data folder (`dumpDataDir`, a gzip tarball), taken
// and restored while holding the data folder's lock, so a server cannot open the database in
// the middle. A restore loads into a sibling folder, checks it, and only then swaps it in: a
// failed restore leaves the old data as it was. (PGlite's pg_dump, @electric-sql/pglite-tools
// 0.4.8, pins @electric-sql/pglite 0.5.8 as an exact peer, so `npm ci` refuses it beside
// 0.5.17; and the physical copy keeps everything, roles and the migration history included.)
//
// PostgreSQL: `pg_dump --format=custom` and `pg_restore --single-transaction`, so a failed
// restore rolls back whole. Both refuse client tools older than the server.
import { spawn } from 'node:child_process';
import {
	closeSync,
	existsSync,
	openSync,
	readSync,
	mkdirSync,
	readdirSync,
	readFileSync,
	renameSync,
	rmSync,
	statSync,
	writeFileSync
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';
import { openPglite, openPostgres } from './index';
import { databaseDigest, type DatabaseDigest } from './digest';
import { DataDirLockedError, lockDataDir } from './lock';
import type { RawConnection } from './migrate';

/** A refusal or failure to show the user as it is (no stack trace). */
export class BackupError extends Error {
	override name = 'BackupError';
}

export interface BackupSummary {
	file: string;
	bytes: number;
	/** Rows per public table and migrations applied, as found in the database backed up. */
	digest: DatabaseDigest;
	migrations: number;
	ms: number;
}

export interface RestoreSummary {
	digest: DatabaseDigest;
	migrations: number;
	/** Embedded mode with --force: where the data that was replaced now lives. */
	previous?: string;
	ms: number;
}

const PGDATA = 'pgdata';
const STAGING = 'pgdata.restoring';

export type BackupKind = 'embedded' | 'postgres';

/** `backups/tongxing-<mode>-<UTC stamp>.<ext>`, relative to the working folder. */
export function defaultBackupFile(kind: BackupKind, now = new Date()): string {
	const stamp = now
		.toISOString()
		.replace(/\.\d+Z$/, 'Z')
		.replace(/[-:]/g, '');
	return join('backups', `tongxing-${kind}-${stamp}.${kind === 'embedded' ? 'tar.gz' : 'dump'}`);
}

/** What a backup file holds, from its first bytes. */
export function backupKindOf(file: string): BackupKind | 'unknown' {
	const head = Buffer.alloc(512);
	const fd = openSync(file, 'r');
	try {
		readSync(fd, head, 0, head.length, 0);
	} finally {
		closeSync(fd);
	}
	if (head.subarray(0, 5).toString('latin1') === 'PGDMP') return 'postgres';
	if (head[0] === 0x1f && head[1] === 0x8b) return 'embedded';
	if (head.subarray(257, 262).toString('latin1') === 'ustar') return 'embedded';
	return 'unknown';
}

function wrongKind(file: string, expected: BackupKind): BackupError | undefined {
	if (!existsSync(file)) return new BackupError(`No such backup file: ${file}`);
	const kind = backupKindOf(file);
	if (kind === expected) return undefined;
	if (kind === 'postgres') {
		return new BackupError(
			`${file} is a PostgreSQL backup (pg_dump custom format): restore it with DATABASE_URL set.`
		);
	}
	if (kind === 'embedded') {
		return new BackupError(
			`${file} is an embedded (PGlite) backup: restore it without DATABASE_URL, into a DATA_DIR.`
		);
	}
	return new BackupError(
		`${file} is not a Tongxing backup (neither a PGlite tarball nor pg_dump).`
	);
}

function holdDataDir(dataDir: string): () => void {
	try {
		return lockDataDir(dataDir);
	} catch (err) {
		if (!(err instanceof DataDirLockedError)) throw err;
		throw new BackupError(
			`The data folder ${dataDir} is in use by a running Tongxing process (pid ${err.pid}). ` +
				'Stop the server first: a PGlite data folder can be opened by one process only.'
		);
	}
}

const isNonEmptyDir = (path: string) =>
	existsSync(path) && statSync(path).isDirectory() && readdirSync(path).length > 0;

async function migrationCount(conn: RawConnection): Promise<number> {
	try {
		const [row] = await conn.query<{ n: number | string }>(
			'select count(*) as n from supabase_migrations.schema_migrations'
		);
		return Number(row.n);
	} catch {
		// Any failure here means the database was never migrated by Tongxing.
		return -1;
	}
}

/** Writes through a `.partial` file so an interrupted backup never looks complete. */
function writeAtomically(file: string, data: Uint8Array): void {
	mkdirSync(dirname(resolve(file)), { recursive: true });
	const partial = `${file}.partial`;
	writeFileSync(partial, data);
	renameSync(partial, file);
}

// ---- embedded (PGlite) ----

export async function backupEmbedded(dataDir: string, file: string): Promise<BackupSummary> {
	const started = Date.now();
	const pgdata = join(dataDir, PGDATA);
	if (!existsSync(join(pgdata, 'PG_VERSION'))) {
		throw new BackupError(`There is no database in ${dataDir} (no ${PGDATA}/PG_VERSION).`);
	}
	const release = holdDataDir(dataDir);
	try {
		const pg = await PGlite.create(pgdata);
		const handle = openPglite(pg);
		try {
			const { digest, migrations } = await handle.withConnection(async (conn) => ({
				digest: await databaseDigest(conn),
				migrations: await migrationCount(conn)
			}));
			// Everything written lands in the data files, so the copy needs no WAL replay.
			await pg.exec('checkpoint');
			const dump = await pg.dumpDataDir('gzip');
			const bytes = new Uint8Array(await dump.arrayBuffer());
			writeAtomically(file, bytes);
			return { file, bytes: bytes.length, digest, migrations, ms: Date.now() - started };
		} finally {
			await handle.close();
		}
	} finally {
		release();
	}
}

/**
 * The tar inside a backup, checked whole first: gzip's trailer carries a CRC and the length
 * (PGlite's own gunzip reports a damaged file only as an unhandled stream error), and a tar
 * ends with two zero blocks.
 */
function readTarball(file: string): Uint8Array {
	let tar: Buffer = readFileSync(file);
	if (tar[0] === 0x1f && tar[1] === 0x8b) {
		try {
			tar = gunzipSync(tar);
		} catch (err) {
			throw new BackupError(`${file} is damaged (${(err as Error).message}).`);
		}
	}
	const end = tar.subarray(tar.length - 1024);
	if (tar.length % 512 !== 0 || tar.length < 1024 || end.some((b) => b !== 0)) {
		throw new BackupError(`${file} is damaged (the tar archive is cut short).`);
	}
	return tar;
}

export async function restoreEmbedded(
	file: string,
	dataDir: string,
	options: { force?: boolean } = {}
): Promise<RestoreSummary> {
	const started = Date.now();
	const refusal = wrongKind(file, 'embedded');
	if (refusal) throw refusal;
	mkdirSync(dataDir, { recursive: true });
	const release = holdDataDir(dataDir);
	const pgdata = join(dataDir, PGDATA);
	const staging = join(dataDir, STAGING);
	try {
		if (isNonEmptyDir(pgdata) && !options.force) {
			throw new BackupError(
				`${dataDir} already holds a database. Add --force to replace it ` +
					`(the current one is kept beside it as ${PGDATA}.before-restore-<time>).`
			);
		}
		// A restore that died earlier may have left its staging folder.
		rmSync(staging, { recursive: true, force: true });
		let summary: Omit<RestoreSummary, 'ms' | 'previous'>;
		try {
			const pg = await PGlite.create(staging, {
				loadDataDir: new Blob([new Uint8Array(readTarball(file))])
			});
			const handle = openPglite(pg);
			try {
				summary = await handle.withConnection(async (conn) => ({
					digest: await databaseDigest(conn),
					migrations: await migrationCount(conn)
				}));
				if (summary.migrations < 1) {
					throw new BackupError(`${file} holds a PGlite database, but not Tongxing's.`);
				}
				await pg.exec('checkpoint');
			} finally {
				await handle.close();
			}
		} catch (err) {
			rmSync(staging, { recursive: true, force: true });
			const reason =
				err instanceof BackupError
					? err.message
					: `Could not load ${file}: ${(err as Error).message}.`;
			throw new BackupError(`${reason} Nothing was changed in ${dataDir}.`);
		}
		let previous: string | undefined;
		if (existsSync(pgdata)) {
			const stamp = new Date().toISOString().replace(/[-:.]/g, '');
			previous = join(dataDir, `${PGDATA}.before-restore-${stamp}`);
			renameSync(pgdata, previous);
		}
		try {
			renameSync(staging, pgdata);
		} catch (err) {
			if (previous) renameSync(previous, pgdata);
			throw err;
		}
		if (previous && !isNonEmptyDir(previous)) {
			rmSync(previous, { recursive: true, force: true });
			previous = undefined;
		}
		return { ...summary, previous, ms: Date.now() - started };
	} finally {
		release();
	}
}

// ---- PostgreSQL ----

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

/** Rows over all tables, for the one-line summaries the scripts print. */
export function totalRows(digest: DatabaseDigest): number {
	return Object.values(digest).reduce((sum, t) => sum + t.rows, 0);
}
