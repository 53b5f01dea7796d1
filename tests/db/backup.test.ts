// Backup and restore in both modes: realistic data made through the domain factories is backed
// up, restored into a fresh database, and compared table by table (row count and md5); the
// migration history comes back whole, so the restored app starts without migrating again.
import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import {
	chmodSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readFileSync,
	readdirSync,
	rmSync,
	writeFileSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';
import * as tasks from '../../src/lib/server/tasks';
import * as attendance from '../../src/lib/server/attendance';
import { readEnv } from '../../src/lib/server/env';
import { openDatabase, openPostgres, setHandle, type DbHandle } from '../../src/lib/server/db';
import {
	BackupError,
	backupEmbedded,
	backupPostgres,
	backupKindOf,
	isDatabaseEmpty,
	restoreEmbedded,
	restorePostgres
} from '../../src/lib/server/db/backup';
import { databaseDigest, type DatabaseDigest } from '../../src/lib/server/db/digest';
import { runMigrations } from '../../src/lib/server/db/migrate';
import { readMigrations } from '../../src/lib/server/db/fs-migrations';
import { isPostgres, useTestDatabase } from './helpers';
import { scopeFor } from './values';
import { withDatabase } from './urls';
import { addMember, makeTeam } from '../factories/teams';
import { makeEvent } from '../factories/events';
import { key, makeTask } from '../factories/tasks';
import { makeDonation, makeEntry } from '../factories/donations';
import { makeContact } from '../factories/contacts';

const { migrations, bootstrap } = readMigrations();
const made: string[] = [];
const tmp = (prefix: string) => {
	const dir = mkdtempSync(join(tmpdir(), `tongxing-${prefix}-`));
	made.push(dir);
	return dir;
};
afterAll(() => {
	for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A team's service day in progress: claims and a waitlist, attendance, donations, a contact. */
async function makeServiceDay(): Promise<void> {
	const team = await makeTeam('备份测试服务队');
	const leader = await addMember(team, 'leader');
	const volunteers = [await addMember(team), await addMember(team), await addMember(team)];
	const { id: eventId } = await makeEvent(team, { status: 'planned' });
	const tutoring = await makeTask(team, eventId, { title: '学习辅导 第3组', capacity: 2 });
	const speaker = await makeTask(team, eventId, { kind: 'other', title: '带音箱', capacity: 1 });
	for (const v of volunteers) {
		await tasks.claimTask(
			{ actor: { userId: v.id }, teamId: team.teamId, eventId },
			tutoring.id,
			key()
		);
	}
	await tasks.claimTask(
		{ actor: { userId: leader.id }, teamId: team.teamId, eventId },
		speaker.id,
		key()
	);
	await attendance.checkInByHand(scopeFor(team.captain, team, eventId), volunteers[0].id);
	await attendance.checkInByHand(scopeFor(team.captain, team, eventId), leader.id);
	await makeDonation(team, eventId);
	await makeDonation(team, eventId, {
		category: 'stationery',
		description: '铅笔和练习本',
		unit: '套',
		quantity: 30
	});
	await makeEntry(team, eventId);
	await makeEntry(team, eventId, { direction: 'expense', category: 'gifts', amount: '120.50' });
	await makeContact(team, eventId);
}

const digestOf = (handle: DbHandle) => handle.withConnection((c) => databaseDigest(c));
const historyOf = (handle: DbHandle) =>
	handle.withConnection((c) =>
		c.query<{ version: string; name: string; statements: string[] }>(
			'select version, name, statements from supabase_migrations.schema_migrations order by version'
		)
	);

/**
 * `handle` holds what was backed up: the same rows and migration history, and the app starts on
 * it with nothing left to migrate.
 */
async function expectSameDatabase(
	handle: DbHandle,
	digest: Awaited<ReturnType<typeof digestOf>>,
	history: Awaited<ReturnType<typeof historyOf>>
) {
	expect(await digestOf(handle)).toEqual(digest);
	expect(await historyOf(handle)).toEqual(history);
	expect(await handle.withConnection((c) => runMigrations(c, migrations, { bootstrap }))).toEqual(
		[]
	);
}

/** Non-empty tables are what a backup must carry; an all-empty digest would prove nothing. */
function expectRealistic(digest: DatabaseDigest) {
	for (const table of [
		'users',
		'teams',
		'team_members',
		'events',
		'tasks',
		'task_signups',
		'attendance',
		'donations',
		'funding_entries',
		'event_contacts'
	]) {
		expect(digest[table]?.rows ?? 0, table).toBeGreaterThan(0);
	}
	expect(Object.values(digest).filter((t) => t.rows > 0).length).toBeGreaterThanOrEqual(8);
}

/** Another process holds the data folder's lock, as a running server does. */
async function holdLock(dataDir: string): Promise<ChildProcess> {
	const child = spawn(
		process.execPath,
		[
			'--import',
			'tsx',
			'-e',
			`const { lockDataDir } = await import(${JSON.stringify(
				join(process.cwd(), 'src/lib/server/db/lock.js')
			)});
			lockDataDir(${JSON.stringify(dataDir)});
			console.log('locked');
			setInterval(() => {}, 1000);`
		],
		{ stdio: ['ignore', 'pipe', 'inherit'] }
	);
	await new Promise<void>((resolve, reject) => {
		child.stdout!.on('data', (chunk: Buffer) => {
			if (chunk.toString().includes('locked')) resolve();
		});
		child.once('exit', (code) => reject(new Error(`lock holder exited (${code})`)));
	});
	return child;
}

describe.skipIf(isPostgres)('embedded backup and restore (PGlite)', () => {
	const children: ChildProcess[] = [];
	afterEach(async () => {
		setHandle(undefined);
		for (const child of children.splice(0)) {
			child.kill();
			if (child.exitCode === null) await new Promise((r) => child.once('exit', r));
		}
	});

	// Each step opens a file-backed PGlite (seconds each on a busy 2-core machine).
	it('restores into a fresh folder with every row and the migration history', async () => {
		const source = tmp('backup-src');
		// The migrated template, loaded into a real data folder as the server keeps it.
		const seed = await PGlite.create(join(source, 'pgdata'), {
			loadDataDir: new Blob([readFileSync(inject('pgliteTemplate'))])
		});
		await seed.close();
		const env = readEnv({ DATA_DIR: source });
		const handle = await openDatabase(env);
		setHandle(handle);
		await makeServiceDay();
		const before = await digestOf(handle);
		const history = await historyOf(handle);
		setHandle(undefined);
		await handle.close();
		expectRealistic(before);
		expect(history.length).toBe(migrations.length);

		const file = join(tmp('backup-file'), 'tongxing.tar.gz');
		const made = await backupEmbedded(source, file);
		expect(made.digest).toEqual(before);
		expect(made.migrations).toBe(migrations.length);
		expect(backupKindOf(file)).toBe('embedded');
		expect(existsSync(`${file}.partial`)).toBe(false);
		// The lock is released: the server can start again.
		expect(existsSync(join(source, '.lock'))).toBe(false);

		const target = join(tmp('backup-dst'), 'data');
		const restored = await restoreEmbedded(file, target);
		expect(restored.digest).toEqual(before);
		expect(restored.previous).toBeUndefined();
		expect(readdirSync(target).sort()).toEqual(['pgdata']);

		const reopened = await openDatabase(readEnv({ DATA_DIR: target }));
		try {
			await expectSameDatabase(reopened, before, history);
		} finally {
			await reopened.close();
		}

		// A folder that holds a database is not overwritten without --force.
		const refused = await restoreEmbedded(file, target).catch((e: unknown) => e);
		expect(refused).toBeInstanceOf(BackupError);
		expect((refused as Error).message).toMatch(/already holds a database.*--force/);

		// A broken file with --force fails before the swap: the old data stays as it was.
		const broken = join(tmp('backup-broken'), 'broken.tar.gz');
		const bytes = readFileSync(file);
		writeFileSync(broken, bytes.subarray(0, Math.floor(bytes.length / 3)));
		const failed = await restoreEmbedded(broken, target, { force: true }).catch((e: unknown) => e);
		expect(failed).toBeInstanceOf(BackupError);
		expect((failed as Error).message).toContain('Nothing was changed');
		expect(readdirSync(target).sort()).toEqual(['pgdata']);

		// --force replaces it, keeping the replaced data beside it.
		const forced = await restoreEmbedded(file, target, { force: true });
		expect(forced.digest).toEqual(before);
		expect(forced.previous).toMatch(/pgdata\.before-restore-/);
		const again = await openDatabase(readEnv({ DATA_DIR: target }));
		try {
			expect(await digestOf(again)).toEqual(before);
		} finally {
			await again.close();
		}
	}, 300_000);

	it('refuses while another process holds the data folder, and says so', async () => {
		const dataDir = tmp('backup-locked');
		mkdirSync(join(dataDir, 'pgdata'));
		writeFileSync(join(dataDir, 'pgdata', 'PG_VERSION'), '18\n');
		const holder = await holdLock(dataDir);
		children.push(holder);
		const file = join(tmp('backup-file'), 'never.tar.gz');

		const backup = await backupEmbedded(dataDir, file).catch((e: unknown) => e);
		expect(backup).toBeInstanceOf(BackupError);
		expect((backup as Error).message).toContain(`in use by a running Tongxing process`);
		expect((backup as Error).message).toContain(`pid ${holder.pid}`);
		expect(existsSync(file)).toBe(false);

		writeFileSync(file, Buffer.from([0x1f, 0x8b, 8, 0]));
		const restore = await restoreEmbedded(file, dataDir, { force: true }).catch((e: unknown) => e);
		expect(restore).toBeInstanceOf(BackupError);
		expect((restore as Error).message).toContain(`pid ${holder.pid}`);
		expect(readdirSync(dataDir).sort()).toEqual(['.lock', 'pgdata']);
	}, 60_000);

	it('tells a PostgreSQL backup from a PGlite one', async () => {
		const file = join(tmp('backup-kind'), 'x.dump');
		writeFileSync(file, Buffer.concat([Buffer.from('PGDMP'), Buffer.alloc(100)]));
		const err = await restoreEmbedded(file, tmp('backup-kind-dst')).catch((e: unknown) => e);
		expect(err).toBeInstanceOf(BackupError);
		expect((err as Error).message).toContain('restore it with DATABASE_URL set');
	});
});

describe.skipIf(!isPostgres)('postgres backup and restore (pg_dump, pg_restore)', () => {
	const db = isPostgres ? useTestDatabase() : undefined;
	const adminUrl = isPostgres ? inject('pgAdminUrl') : '';

	async function freshDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
		const name = `tongxing_restore_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
		const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
		await admin.unsafe(`create database "${name}"`);
		await admin.end({ timeout: 5 });
		return {
			url: withDatabase(adminUrl, name),
			drop: async () => {
				const a = postgres(adminUrl, { max: 1, onnotice: () => {} });
				await a.unsafe(`drop database if exists "${name}" with (force)`);
				await a.end({ timeout: 5 });
			}
		};
	}

	it('restores into a fresh database with every row and the migration history', async () => {
		await makeServiceDay();
		const before = await digestOf(db!.handle);
		const history = await historyOf(db!.handle);
		expectRealistic(before);

		const file = join(tmp('backup-pg'), 'tongxing.dump');
		const made = await backupPostgres(db!.url, file);
		expect(made.digest).toEqual(before);
		expect(made.migrations).toBe(history.length);
		expect(backupKindOf(file)).toBe('postgres');

		const target = await freshDatabase();
		try {
			expect(await isDatabaseEmpty(target.url)).toBe(true);
			const restored = await restorePostgres(file, target.url);
			expect(restored.digest).toEqual(before);
			const handle = openPostgres(target.url, { max: 2 });
			try {
				await expectSameDatabase(handle, before, history);
			} finally {
				await handle.close();
			}

			// Not empty now: refused without --clean, and nothing changes.
			const refused = await restorePostgres(file, target.url).catch((e: unknown) => e);
			expect(refused).toBeInstanceOf(BackupError);
			expect((refused as Error).message).toContain('--clean');

			// A damaged archive fails inside one transaction: the database is as it was.
			const broken = join(tmp('backup-pg-broken'), 'broken.dump');
			const bytes = readFileSync(file);
			writeFileSync(broken, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
			const failed = await restorePostgres(broken, target.url, { clean: true }).catch(
				(e: unknown) => e
			);
			expect(failed).toBeInstanceOf(BackupError);
			expect((failed as Error).message).toContain('rolled back');
			const afterFailure = openPostgres(target.url, { max: 1 });
			try {
				expect(await digestOf(afterFailure)).toEqual(before);
			} finally {
				await afterFailure.close();
			}

			const cleaned = await restorePostgres(file, target.url, { clean: true });
			expect(cleaned.digest).toEqual(before);
		} finally {
			await target.drop();
		}
	}, 120_000);

	it('says when pg_dump is missing or older than the server', async () => {
		const file = join(tmp('backup-pg-tools'), 'never.dump');
		const path = process.env.PATH;
		const bin = tmp('backup-pg-bin');
		try {
			process.env.PATH = bin;
			const missing = await backupPostgres(db!.url, file).catch((e: unknown) => e);
			expect(missing).toBeInstanceOf(BackupError);
			expect((missing as Error).message).toMatch(/pg_dump was not found on PATH/);

			// A client of an older major version than any server we support.
			writeFileSync(
				join(bin, 'pg_restore'),
				'#!/bin/sh\necho "pg_restore (PostgreSQL) 9.6.24"\n',
				'utf8'
			);
			chmodSync(join(bin, 'pg_restore'), 0o755);
			writeFileSync(file, Buffer.concat([Buffer.from('PGDMP'), Buffer.alloc(100)]));
			const old = await restorePostgres(file, db!.url).catch((e: unknown) => e);
			expect(old).toBeInstanceOf(BackupError);
			expect((old as Error).message).toMatch(/pg_restore is version 9, older than the server/);
		} finally {
			process.env.PATH = path;
		}
	});
});
