// What both backup kinds share: the error shown to the user, the summaries, the default file
// name, telling a backup's kind from its first bytes, and writing a file atomically.
import {
	closeSync,
	existsSync,
	mkdirSync,
	openSync,
	readSync,
	renameSync,
	writeFileSync
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { DatabaseDigest } from './digest';
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

export function wrongKind(file: string, expected: BackupKind): BackupError | undefined {
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

export async function migrationCount(conn: RawConnection): Promise<number> {
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
export function writeAtomically(file: string, data: Uint8Array): void {
	mkdirSync(dirname(resolve(file)), { recursive: true });
	const partial = `${file}.partial`;
	writeFileSync(partial, data);
	renameSync(partial, file);
}

/** Rows over all tables, for the one-line summaries the scripts print. */
export function totalRows(digest: DatabaseDigest): number {
	return Object.values(digest).reduce((sum, t) => sum + t.rows, 0);
}
