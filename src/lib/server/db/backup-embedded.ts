// Embedded backup and restore: a physical copy of the PGlite data folder (a gzip tarball),
// taken and restored while holding the data folder's lock, so a server cannot open the database
// in the middle. A restore loads into a sibling folder, checks it, and only then swaps it in: a
// failed restore leaves the old data as it was. (PGlite's pg_dump, @electric-sql/pglite-tools
// 0.4.8, pins @electric-sql/pglite 0.5.8 as an exact peer, so `npm ci` refuses it beside
// 0.5.17; and the physical copy keeps everything, roles and the migration history included.)
import {
	existsSync,
	mkdirSync,
	readdirSync,
	readFileSync,
	renameSync,
	rmSync,
	statSync
} from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { PGlite } from '@electric-sql/pglite';
import { openPglite } from './index';
import { databaseDigest } from './digest';
import { DataDirLockedError, lockDataDir } from './lock';
import {
	BackupError,
	migrationCount,
	writeAtomically,
	wrongKind,
	type BackupSummary,
	type RestoreSummary
} from './backup-files';

const PGDATA = 'pgdata';
const STAGING = 'pgdata.restoring';

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
