import { describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import postgres from 'postgres';
import { rateLimits } from '../../src/lib/server/db/schema';
import {
	hit,
	startRateLimitSweep,
	storedKey,
	sweepExpired
} from '../../src/lib/server/auth/rate-limit';
import { isPostgres, useTestDatabase } from './helpers';

const t = useTestDatabase();
const HOUR = 60 * 60 * 1000;
const SWEEP_LOCK = 0x52617465;

async function isStored(bucket: string, key: string): Promise<boolean> {
	const rows = await t.handle.db
		.select({ key: rateLimits.key })
		.from(rateLimits)
		.where(and(eq(rateLimits.bucket, bucket), eq(rateLimits.key, storedKey(key))));
	return rows.length > 0;
}

describe('rate-limit sweep', () => {
	it('deletes counters whose window has ended and keeps running ones', async () => {
		const old = `old-${crypto.randomUUID()}`;
		const live = `live-${crypto.randomUUID()}`;
		await hit('tokenEndpoint', old, { now: new Date(Date.now() - 2 * HOUR) });
		await hit('signUp', live);
		expect(await sweepExpired()).toBeGreaterThanOrEqual(1);
		expect(await isStored('tokenEndpoint', old)).toBe(false);
		expect(await isStored('signUp', live)).toBe(true);
	});

	it('runs at start and then on its schedule until stopped', async () => {
		const lines: string[] = [];
		const first = `first-${crypto.randomUUID()}`;
		await hit('broadcast', first, { now: new Date(Date.now() - 2 * HOUR) });
		const stop = startRateLimitSweep({ everyMs: 100, log: (line) => lines.push(line) });
		try {
			await expect.poll(() => isStored('broadcast', first)).toBe(false);
			// A counter that expires later goes at a later turn of the schedule.
			const later = `later-${crypto.randomUUID()}`;
			await hit('broadcast', later, { now: new Date(Date.now() - 2 * HOUR) });
			await expect.poll(() => isStored('broadcast', later)).toBe(false);
		} finally {
			// A sweep still running when stopped must not reach into the next test's counters.
			await stop();
		}
		expect(lines.some((line) => /pruned \d+ expired counter/.test(line))).toBe(true);
		expect(lines.filter((line) => line.includes('failed'))).toEqual([]);
	});

	it.runIf(isPostgres)('a turn that outlasts the interval is the one stop waits for', async () => {
		const stuck = `stuck-${crypto.randomUUID()}`;
		await hit('contactLink', stuck, { now: new Date(Date.now() - 2 * HOUR) });
		// Another connection holds the table: the first turn takes the sweep's lock and waits at
		// its delete while the interval comes round many times.
		const other = postgres(t.url, { max: 1, onnotice: () => {} });
		let release = () => {};
		const held = new Promise<void>((resolve) => (release = resolve));
		let locked = () => {};
		const isLocked = new Promise<void>((resolve) => (locked = resolve));
		const holding = other.begin(async (tx) => {
			await tx`lock table rate_limits in share mode`;
			locked();
			await held;
		});
		try {
			await isLocked;
			const stop = startRateLimitSweep({ everyMs: 20, log: () => {} });
			await new Promise((resolve) => setTimeout(resolve, 300));
			let stopped = false;
			const stopping = stop().then(() => (stopped = true));
			await new Promise((resolve) => setTimeout(resolve, 200));
			// Still running: the stuck turn, not a later one the lock turned away, is awaited.
			expect(stopped).toBe(false);
			release();
			await holding;
			await stopping;
			expect(await isStored('contactLink', stuck)).toBe(false);
		} finally {
			release();
			await holding.catch(() => {});
			await other.end({ timeout: 5 });
		}
	});

	it.runIf(isPostgres)('skips its turn while another instance sweeps', async () => {
		const key = `held-${crypto.randomUUID()}`;
		await hit('contactLink', key, { now: new Date(Date.now() - 2 * HOUR) });
		const other = postgres(t.url, { max: 1, onnotice: () => {} });
		try {
			await other`select pg_advisory_lock(${SWEEP_LOCK})`;
			expect(await sweepExpired()).toBeNull();
			expect(await isStored('contactLink', key)).toBe(true);
			await other`select pg_advisory_unlock(${SWEEP_LOCK})`;
			expect(await sweepExpired()).toBeGreaterThanOrEqual(1);
			expect(await isStored('contactLink', key)).toBe(false);
		} finally {
			await other.end({ timeout: 5 });
		}
	});
});
