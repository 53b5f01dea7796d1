import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import type { Worker } from 'node:worker_threads';
import { sql } from 'drizzle-orm';
import { readEnv } from '../../src/lib/server/env';
import { openDatabase, rowsOf } from '../../src/lib/server/db';
import { openEarly, takeEarlyOpen } from '../../src/lib/server/db/early-open';
import { DataDirLockedError } from '../../src/lib/server/db/lock';
import { isPostgres } from './helpers';

// server.js opens an existing data folder while the bundle loads (early-open.js); the bundle's
// openDatabase takes the worker and the lock over. The real worker script and a real cluster.
const workerFile = new URL('../../src/lib/server/db/pglite-worker.js', import.meta.url);
const EARLY = Symbol.for('tongxing.early-db');
const registered = () =>
	(globalThis as Record<symbol, { worker: Worker } | undefined>)[EARLY]?.worker;

/** A data folder that already holds a cluster, as on a restart. */
async function usedFolder(): Promise<string> {
	const dataDir = mkdtempSync(join(tmpdir(), 'tongxing-early-'));
	const handle = await openDatabase(readEnv({ DATA_DIR: dataDir }));
	await handle.db.execute(sql`create table probe (value text)`);
	await handle.db.execute(sql`insert into probe values ('同行')`);
	await handle.close();
	return dataDir;
}

const exited = (worker: Worker) => new Promise<void>((resolve) => worker.once('exit', resolve));

describe.skipIf(isPostgres)('opening the data folder early', () => {
	it('a restart opens early, and openDatabase takes that worker and the lock over', async () => {
		const dataDir = await usedFolder();
		expect(openEarly({ dataDir, workerFile })).toBe(true);
		expect(readFileSync(join(dataDir, '.lock'), 'utf8')).toBe(String(process.pid));
		const worker = registered();
		expect(worker).toBeDefined();
		let isStopped = false;
		void exited(worker as Worker).then(() => (isStopped = true));

		const handle = await openDatabase(readEnv({ DATA_DIR: dataDir }));
		const rows = rowsOf<{ value: string }>(await handle.db.execute(sql`select value from probe`));
		expect(rows).toEqual([{ value: '同行' }]);
		// Taken once: nothing is left for another open, and the early worker is the one in use.
		expect(registered()).toBeUndefined();
		expect(await takeEarlyOpen(join(dataDir, 'pgdata'))).toBeUndefined();
		expect(isStopped).toBe(false);

		const stopping = exited(worker as Worker);
		await handle.close();
		await stopping;
		expect(existsSync(join(dataDir, '.lock'))).toBe(false);
	}, 120_000);

	it('a first start does not open early: the bundle copies the snapshot first', () => {
		const dataDir = mkdtempSync(join(tmpdir(), 'tongxing-early-'));
		expect(openEarly({ dataDir, workerFile })).toBe(false);
		expect(registered()).toBeUndefined();
		expect(existsSync(join(dataDir, '.lock'))).toBe(false);
	});

	it('a folder another process holds is not opened early, and openDatabase says why', async () => {
		const dataDir = await usedFolder();
		const owner = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
		try {
			writeFileSync(join(dataDir, '.lock'), String(owner.pid));
			expect(openEarly({ dataDir, workerFile })).toBe(false);
			expect(registered()).toBeUndefined();
			const err = await openDatabase(readEnv({ DATA_DIR: dataDir })).catch((e: unknown) => e);
			expect(err).toBeInstanceOf(DataDirLockedError);
			expect(readFileSync(join(dataDir, '.lock'), 'utf8')).toBe(String(owner.pid));
		} finally {
			owner.kill();
		}
	}, 120_000);

	it('an early open of another folder is ended, its lock released, and the asked one opened', async () => {
		const [early, asked] = [await usedFolder(), await usedFolder()];
		expect(openEarly({ dataDir: early, workerFile })).toBe(true);
		const stopped = exited(registered() as Worker);
		const handle = await openDatabase(readEnv({ DATA_DIR: asked }));
		await stopped;
		expect(existsSync(join(early, '.lock'))).toBe(false);
		expect(readFileSync(join(asked, '.lock'), 'utf8')).toBe(String(process.pid));
		const rows = rowsOf<{ value: string }>(await handle.db.execute(sql`select value from probe`));
		expect(rows).toEqual([{ value: '同行' }]);
		await handle.close();
	}, 120_000);
});
