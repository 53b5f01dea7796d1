import { describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { rateLimits } from '../../src/lib/server/db/schema';
import { RateLimited } from '../../src/lib/server/errors';
import {
	RATE_LIMITS,
	consume,
	hit,
	isLimited,
	pruneExpired,
	reset,
	storedKey
} from '../../src/lib/server/auth/rate-limit';
import { isPostgres, useTestDatabase } from './helpers';

const t = useTestDatabase({ poolMax: 20 });
const at = (iso: string) => new Date(iso);

async function stored(bucket: string, key: string) {
	const [row] = await t.handle.db
		.select()
		.from(rateLimits)
		.where(and(eq(rateLimits.bucket, bucket), eq(rateLimits.key, storedKey(key))));
	return row;
}

describe('rate limiter', () => {
	it('counts per bucket and key and refuses the attempt past the limit', async () => {
		const key = `ip-${crypto.randomUUID()}`;
		const now = at('2026-07-01T10:00:00Z');
		const { limit, windowSeconds } = RATE_LIMITS.tokenEndpoint;
		for (let i = 1; i <= limit; i++) {
			const state = await consume('tokenEndpoint', key, { now });
			expect(state.count).toBe(i);
		}
		expect(await isLimited('tokenEndpoint', key, { now })).toBe(true);
		const refused = await consume('tokenEndpoint', key, { now }).catch((err: unknown) => err);
		expect(refused).toBeInstanceOf(RateLimited);
		expect((refused as RateLimited).retryAfterSeconds).toBe(windowSeconds);
		// Another key and another bucket are untouched.
		expect((await hit('tokenEndpoint', `${key}-other`, { now })).count).toBe(1);
		expect((await hit('broadcast', key, { now })).count).toBe(1);
	});

	it('starts again once the window has passed', async () => {
		const key = `ip-${crypto.randomUUID()}`;
		const start = at('2026-07-01T10:00:00Z');
		for (let i = 0; i < 3; i++) await hit('signUp', key, { now: start });
		const later = new Date(start.getTime() + RATE_LIMITS.signUp.windowSeconds * 1000);
		const state = await hit('signUp', key, { now: later });
		expect(state.count).toBe(1);
		expect(state.resetAt).toEqual(
			new Date(later.getTime() + RATE_LIMITS.signUp.windowSeconds * 1000)
		);
	});

	it('a fixed window keeps its end; a sliding one moves with each counted attempt', async () => {
		const key = `k-${crypto.randomUUID()}`;
		const t0 = at('2026-07-01T10:00:00Z');
		const t1 = at('2026-07-01T10:05:00Z');
		const fixed0 = await hit('signUp', key, { now: t0 });
		const fixed1 = await hit('signUp', key, { now: t1 });
		expect(fixed1.resetAt).toEqual(fixed0.resetAt);

		await hit('signIn', key, { now: t0 });
		const sliding = await hit('signIn', key, { now: t1 });
		expect(sliding.resetAt).toEqual(
			new Date(t1.getTime() + RATE_LIMITS.signIn.windowSeconds * 1000)
		);
	});

	it('does not extend a lock with refused attempts', async () => {
		const key = `k-${crypto.randomUUID()}`;
		const t0 = at('2026-07-01T10:00:00Z');
		for (let i = 0; i < RATE_LIMITS.signIn.limit; i++) await hit('signIn', key, { now: t0 });
		const lockedUntil = (await stored('signIn', key)).resetAt;
		const t1 = at('2026-07-01T10:10:00Z');
		const refused = await hit('signIn', key, { now: t1 });
		expect(refused.isLimited).toBe(true);
		expect(refused.resetAt).toEqual(lockedUntil);
		expect(refused.retryAfterSeconds).toBe(5 * 60);
		const afterLock = await hit('signIn', key, { now: lockedUntil });
		expect(afterLock).toMatchObject({ count: 1, isLimited: false });
	});

	it('reset forgets a key; prune deletes only ended windows', async () => {
		const now = at('2026-07-01T10:00:00Z');
		await hit('signIn', 'a', { now });
		await hit('signIn', 'b', { now });
		await reset('signIn', 'a');
		expect(await stored('signIn', 'a')).toBeUndefined();
		expect(await isLimited('signIn', 'a', { now })).toBe(false);

		const old = at('2026-06-01T10:00:00Z');
		await hit('broadcast', 'old', { now: old });
		expect(await pruneExpired({ now })).toBe(1);
		expect(await stored('broadcast', 'old')).toBeUndefined();
		expect(await stored('signIn', 'b')).toBeDefined();
	});

	it('keeps no email or address in the table, only hashes of the keys', async () => {
		await hit('signIn', '192.0.2.7|someone@example.test');
		const keys = (await t.handle.db.select({ key: rateLimits.key }).from(rateLimits)).map(
			(r) => r.key
		);
		expect(keys).toContain(storedKey('192.0.2.7|someone@example.test'));
		expect(keys.every((k) => /^[0-9a-f]{64}$/.test(k))).toBe(true);
	});
});

// PGlite has one connection and can never show a race: this runs on real PostgreSQL only.
describe.runIf(isPostgres)('rate limiter under concurrency', () => {
	it('counts 50 parallel hits exactly, each seeing its own count', async () => {
		const key = `race-${crypto.randomUUID()}`;
		const states = await Promise.all(Array.from({ length: 50 }, () => hit('broadcast', key)));
		expect(states.map((s) => s.count).sort((a, b) => a - b)).toEqual(
			Array.from({ length: 50 }, (_, i) => i + 1)
		);
		expect((await stored('broadcast', key)).count).toBe(50);
	});

	it('lets exactly the limit through when parallel attempts race for the last places', async () => {
		const key = `race-${crypto.randomUUID()}`;
		const { limit } = RATE_LIMITS.signIn;
		const results = await Promise.allSettled(
			Array.from({ length: 40 }, () => consume('signIn', key))
		);
		const passed = results.filter((r) => r.status === 'fulfilled').length;
		const refused = results.filter(
			(r) => r.status === 'rejected' && r.reason instanceof RateLimited
		).length;
		expect([passed, refused]).toEqual([limit, 40 - limit]);
	});
});
