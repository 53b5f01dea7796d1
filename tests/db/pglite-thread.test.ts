// Embedded mode's PGlite in its worker thread (db/pglite-thread.ts): the same answers, errors,
// transactions and notifications as PGlite in-process, and the main thread free while a query
// runs. A real file-backed data folder, loaded from the migrated test template.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { eq, sql } from 'drizzle-orm';
import { openPglite, rowsOf, type DbHandle } from '../../src/lib/server/db';
import { PgliteThread } from '../../src/lib/server/db/pglite-thread';
import { appSetting } from '../../src/lib/server/db/schema';
import { isPostgres } from './helpers';

describe.skipIf(isPostgres)('PGlite in a worker thread', () => {
	let thread: PgliteThread;
	let handle: DbHandle;
	let inProcess: PGlite;

	beforeAll(async () => {
		const template = new Blob([readFileSync(inject('pgliteTemplate'))]);
		const pgdata = join(mkdtempSync(join(tmpdir(), 'tongxing-thread-')), 'pgdata');
		const seed = await PGlite.create(pgdata, { loadDataDir: template });
		await seed.close();
		thread = await PgliteThread.open(pgdata);
		handle = openPglite(thread.asPglite());
		inProcess = await PGlite.create({ loadDataDir: template });
	});

	afterAll(async () => {
		await handle?.close();
		await inProcess?.close();
	});

	it('answers as PGlite in-process does: rows, types, Drizzle mapping', async () => {
		const probe = sql`select '2026-03-08 09:30:00+08'::timestamptz as at, 9007199254740991::int8 as big,
			'{"a":[1,"二"]}'::jsonb as doc, '2026-03-08'::date as day, null::text as nothing,
			array[1,2]::int[] as list, 'ab'::bytea as bytes`;
		const inWorker = rowsOf(await handle.db.execute(probe));
		const local = rowsOf(await openPglite(inProcess).db.execute(probe));
		expect(inWorker).toEqual(local);

		await handle.db.insert(appSetting).values({ key: 'thread.probe', value: '同行' });
		const [row] = await handle.db
			.select({ value: appSetting.value })
			.from(appSetting)
			.where(eq(appSetting.key, 'thread.probe'));
		expect(row).toEqual({ value: '同行' });
	});

	it('passes PostgreSQL errors on with their code and constraint', async () => {
		await handle.db.insert(appSetting).values({ key: 'thread.unique', value: '1' });
		const err = await handle.db
			.insert(appSetting)
			.values({ key: 'thread.unique', value: '2' })
			.catch((e: unknown) => e);
		expect(err).toBeInstanceOf(Error);
		const cause = (err as { cause?: Record<string, unknown> }).cause;
		expect(cause).toMatchObject({ code: '23505', table: 'app_setting' });
		expect(String(cause?.message)).toMatch(/duplicate key/);
	});

	it('commits a transaction, rolls one back when it throws, and keeps savepoints', async () => {
		await handle.db.transaction(async (tx) => {
			await tx.insert(appSetting).values({ key: 'thread.commit', value: 'kept' });
			await tx
				.transaction(async (inner) => {
					await inner.insert(appSetting).values({ key: 'thread.savepoint', value: 'gone' });
					throw new Error('undo the savepoint');
				})
				.catch((e: Error) => expect(e.message).toBe('undo the savepoint'));
		});
		await expect(
			handle.db.transaction(async (tx) => {
				await tx.insert(appSetting).values({ key: 'thread.rollback', value: 'gone' });
				throw new Error('undo');
			})
		).rejects.toThrow('undo');
		const keys = rowsOf<{ key: string }>(
			await handle.db.execute(
				sql`select key from app_setting where key like 'thread.%' order by key`
			)
		).map((r) => r.key);
		expect(keys).toContain('thread.commit');
		expect(keys).not.toContain('thread.savepoint');
		expect(keys).not.toContain('thread.rollback');
	});

	it('runs concurrent transactions one after another, losing no update', async () => {
		await handle.db.insert(appSetting).values({ key: 'thread.counter', value: '0' });
		await Promise.all(
			Array.from({ length: 20 }, () =>
				handle.db.transaction(async (tx) => {
					const [row] = await tx
						.select({ value: appSetting.value })
						.from(appSetting)
						.where(eq(appSetting.key, 'thread.counter'));
					await tx
						.update(appSetting)
						.set({ value: String(Number(row.value) + 1) })
						.where(eq(appSetting.key, 'thread.counter'));
				})
			)
		);
		const [row] = await handle.db
			.select({ value: appSetting.value })
			.from(appSetting)
			.where(eq(appSetting.key, 'thread.counter'));
		expect(row.value).toBe('20');
	});

	it('delivers NOTIFY to a listener, only after commit', async () => {
		const heard: string[] = [];
		const unlisten = await handle.listen('thread_channel', (payload) => heard.push(payload));
		await handle.db.transaction(async (tx) => {
			await tx.execute(sql`select pg_notify('thread_channel', 'committed')`);
			expect(heard).toEqual([]);
		});
		await handle.db
			.transaction(async (tx) => {
				await tx.execute(sql`select pg_notify('thread_channel', 'rolled back')`);
				throw new Error('no');
			})
			.catch(() => {});
		await expect.poll(() => heard).toEqual(['committed']);
		await unlisten();
	});

	it('leaves the main thread free while a long query runs', async () => {
		let ticks = 0;
		const timer = setInterval(() => ticks++, 10);
		const started = performance.now();
		try {
			await handle.db.execute(sql`select count(*) from generate_series(1, 3000000)`);
		} finally {
			clearInterval(timer);
		}
		const ms = performance.now() - started;
		// In-process the interval could not fire at all until the query was done.
		expect(ms).toBeGreaterThan(100);
		expect(ticks).toBeGreaterThanOrEqual(Math.floor(ms / 10 / 4));
	});

	it('refuses work clearly once closed', async () => {
		const pgdata = join(mkdtempSync(join(tmpdir(), 'tongxing-thread-')), 'pgdata');
		const seed = await PGlite.create(pgdata, {
			loadDataDir: new Blob([readFileSync(inject('pgliteTemplate'))])
		});
		await seed.close();
		const other = await PgliteThread.open(pgdata);
		const otherHandle = openPglite(other.asPglite());
		await otherHandle.close();
		expect(other.closed).toBe(true);
		const err = (await otherHandle.db.execute(sql`select 1`).catch((e: unknown) => e)) as Error;
		expect(String((err.cause as Error | undefined)?.message ?? err.message)).toMatch(/closed/);
		// Closed cleanly: the folder opens again, with what was written.
		const again = await PGlite.create(pgdata);
		expect((await again.query('select 1 as one')).rows).toEqual([{ one: 1 }]);
		await again.close();
		// Three loads of a PGlite (3–4 s alone) that a loaded two-core machine stretched past 30 s.
	}, 120_000);
});
