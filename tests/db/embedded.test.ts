import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { sql } from 'drizzle-orm';
import { readEnv } from '../../src/lib/server/env';
import { openDatabase, rowsOf } from '../../src/lib/server/db';
import { DataDirLockedError } from '../../src/lib/server/db/lock';
import { runMigrations } from '../../src/lib/server/db/migrate';
import { readMigrations } from '../../src/lib/server/db/fs-migrations';
import { appSetting } from '../../src/lib/server/db/schema';
import { isPostgres } from './helpers';

const { migrations, bootstrap } = readMigrations();

describe.skipIf(isPostgres)('embedded data folder', () => {
	it('keeps data across a restart', async () => {
		const env = readEnv({ DATA_DIR: mkdtempSync(join(tmpdir(), 'tongxing-embedded-')) });
		const first = await openDatabase(env);
		await first.withConnection((c) => runMigrations(c, migrations, { bootstrap }));
		await first.db.insert(appSetting).values({ key: 'probe', value: '同行' });
		await first.close();

		const second = await openDatabase(env);
		const rows = rowsOf<{ value: string }>(
			await second.db.execute(sql`select value from app_setting where key = 'probe'`)
		);
		await second.close();
		expect(rows).toEqual([{ value: '同行' }]);
		// Two cold starts of a file-backed PGlite with a full migration: slow on a busy machine.
	}, 120_000);

	it('refuses a second process while the owner lives, and takes over a stale lock', async () => {
		const dataDir = mkdtempSync(join(tmpdir(), 'tongxing-lock-'));
		const env = readEnv({ DATA_DIR: dataDir });
		// A live process that is not us owns the folder.
		const owner = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
		try {
			writeFileSync(join(dataDir, '.lock'), String(owner.pid));
			const err = await openDatabase(env).catch((e: unknown) => e);
			expect(err).toBeInstanceOf(DataDirLockedError);
			expect((err as Error).message).toContain(`pid ${owner.pid}`);
		} finally {
			owner.kill();
		}
		await new Promise((resolve) => owner.once('exit', resolve));
		// The owner died without cleaning up: the lock is stale and taken over.
		const handle = await openDatabase(env);
		expect(readFileSync(join(dataDir, '.lock'), 'utf8')).toBe(String(process.pid));
		await handle.close();
	}, 120_000);
});
