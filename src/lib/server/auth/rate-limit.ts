// One limiter for every guarded action, kept in the database so that it holds across
// instances and restarts. Each (bucket, key) is a counter that starts again once `reset_at`
// has passed. Counting is a single `insert … on conflict do update … returning`: concurrent
// hits on any number of instances each see their own count, with no read-then-write race.
import type { RequestEvent } from '@sveltejs/kit';
import { and, eq, gt, lt, sql } from 'drizzle-orm';
import { getDb, rowsOf, type Queryable } from '../db';
import { rateLimits } from '../db/schema';
import { RateLimited } from '../errors';
import { hashToken } from './tokens';

export interface RateLimitRule {
	/** Attempts allowed per window; the next one is refused. */
	limit: number;
	windowSeconds: number;
	/**
	 * Each counted attempt below the limit pushes the window back, so the count means
	 * "consecutive attempts with no reset in between" rather than "attempts per clock window".
	 * Refused attempts do not extend a lock.
	 */
	sliding?: boolean;
}

/** Buckets and their rules; keys are chosen by the caller (an IP, a user id, an email + IP). */
export const RATE_LIMITS = {
	/**
	 * Sign-in throttling after OWASP's guidance on online guessing. A browser without a valid
	 * device cookie for the account is held by all three `signIn…` buckets below; a success
	 * resets the first and takes its own attempt back from the other two (they count failures).
	 * Key: email + IP. Counts attempts since the last success; a success resets.
	 */
	signIn: { limit: 10, windowSeconds: 15 * 60, sliding: true },
	/** Key: email. Failures at one account from every address together. */
	signInAccount: { limit: 20, windowSeconds: 15 * 60 },
	/** Key: IP. Failures from one address at every account together (password spraying). */
	signInAddress: { limit: 50, windowSeconds: 60 * 60 },
	/**
	 * Key: device id (`auth/device.ts`). A browser with the account's device cookie is held by
	 * this alone, so the owner keeps signing in while the account is throttled for everyone
	 * else; past it the cookie is ignored. A success resets.
	 */
	signInDevice: { limit: 10, windowSeconds: 15 * 60, sliding: true },
	/** Key: IP. Generous: a whole class may sign up together behind one campus NAT. */
	signUp: { limit: 100, windowSeconds: 60 * 60 },
	/** Key: user id. Counts wrong current passwords; a success resets. */
	passwordChange: { limit: 10, windowSeconds: 15 * 60, sliding: true },
	/** Key: IP. Reset links carry 160 random bits; this only stops a flood of guesses. */
	passwordReset: { limit: 30, windowSeconds: 15 * 60 },
	/** Key: IP. */
	inviteCode: { limit: 30, windowSeconds: 10 * 60 },
	/**
	 * Key: user id (or IP before sign-in). Counts wrong check-in codes only: six digits, two
	 * windows valid, 5 guesses a minute.
	 */
	checkInCode: { limit: 5, windowSeconds: 60 },
	/** Key: user id. */
	incidentReport: { limit: 20, windowSeconds: 10 * 60 },
	/** Key: IP. The community contact has no account. */
	contactLink: { limit: 30, windowSeconds: 10 * 60 },
	/** Key: session id. The realtime token endpoint. */
	tokenEndpoint: { limit: 60, windowSeconds: 60 },
	/** Key: apikey or user id. The REST broadcast endpoint. */
	broadcast: { limit: 120, windowSeconds: 60 }
} as const satisfies Record<string, RateLimitRule>;

export type RateLimitBucket = keyof typeof RATE_LIMITS;

export interface RateLimitState {
	count: number;
	limit: number;
	resetAt: Date;
	/** True once the count is beyond the limit: this attempt must be refused. */
	isLimited: boolean;
	/** Whole seconds until the window ends (at least 1). */
	retryAfterSeconds: number;
}

export interface RateLimitOptions {
	now?: Date;
	db?: Queryable;
}

// The counter stops growing here: a flood must not overflow the integer column.
const COUNT_CAP = 1_000_000;

/** Keys often hold an email or an address: the table keeps only their SHA-256. */
export function storedKey(key: string): string {
	return hashToken(key);
}

function stateOf(
	rule: RateLimitRule,
	row: { count: number; resetAt: Date },
	now: Date
): RateLimitState {
	return {
		count: row.count,
		limit: rule.limit,
		resetAt: row.resetAt,
		isLimited: row.count > rule.limit,
		retryAfterSeconds: Math.max(1, Math.ceil((row.resetAt.getTime() - now.getTime()) / 1000))
	};
}

/** Counts one attempt and returns the state after it (never throws for the limit). */
export async function hit(
	bucket: RateLimitBucket,
	key: string,
	{ now = new Date(), db = getDb() }: RateLimitOptions = {}
): Promise<RateLimitState> {
	const rule: RateLimitRule = RATE_LIMITS[bucket];
	const nowSql = sql`${now.toISOString()}::timestamptz`;
	const fresh = new Date(now.getTime() + rule.windowSeconds * 1000);
	const freshSql = sql`${fresh.toISOString()}::timestamptz`;
	const expired = sql`${rateLimits.resetAt} <= ${nowSql}`;
	// In ON CONFLICT … SET, the table's columns are the existing row's values before the update.
	const resetAt = rule.sliding
		? sql`case when ${expired} or ${rateLimits.count} < ${rule.limit} then ${freshSql} else ${rateLimits.resetAt} end`
		: sql`case when ${expired} then ${freshSql} else ${rateLimits.resetAt} end`;
	const [row] = await db
		.insert(rateLimits)
		.values({ bucket, key: storedKey(key), count: 1, resetAt: fresh })
		.onConflictDoUpdate({
			target: [rateLimits.bucket, rateLimits.key],
			set: {
				count: sql`case when ${expired} then 1 else least(${rateLimits.count} + 1, ${COUNT_CAP}) end`,
				resetAt
			}
		})
		.returning({ count: rateLimits.count, resetAt: rateLimits.resetAt });
	return stateOf(rule, row, now);
}

/** Counts one attempt and throws `RateLimited` when it is beyond the limit. */
export async function consume(
	bucket: RateLimitBucket,
	key: string,
	options: RateLimitOptions = {}
): Promise<RateLimitState> {
	const state = await hit(bucket, key, options);
	if (state.isLimited) throw new RateLimited(state.retryAfterSeconds);
	return state;
}

/**
 * Counts one attempt in each bucket (atomically, all of them, so that every bucket sees it)
 * and throws `RateLimited` when any is beyond its limit, with the longest wait.
 */
export async function consumeAll(
	hits: [bucket: RateLimitBucket, key: string][],
	options: RateLimitOptions = {}
): Promise<void> {
	const states = await Promise.all(hits.map(([bucket, key]) => hit(bucket, key, options)));
	const limited = states.filter((state) => state.isLimited);
	if (limited.length > 0) {
		throw new RateLimited(Math.max(...limited.map((state) => state.retryAfterSeconds)));
	}
}

/**
 * Takes one counted attempt back (a success, where a bucket counts failures only). Unlike
 * `reset`, earlier failures stay counted: one good sign-in does not clear what others tried.
 */
export async function refund(
	bucket: RateLimitBucket,
	key: string,
	{ now = new Date(), db = getDb() }: RateLimitOptions = {}
): Promise<void> {
	await db
		.update(rateLimits)
		.set({ count: sql`greatest(${rateLimits.count} - 1, 0)` })
		.where(
			and(
				eq(rateLimits.bucket, bucket),
				eq(rateLimits.key, storedKey(key)),
				gt(rateLimits.resetAt, now)
			)
		);
}

/**
 * Whether the next attempt would be refused, without counting one. For display only: deciding
 * by a read and counting afterwards would let parallel attempts slip through, so guarded
 * actions call `consume`.
 */
export async function isLimited(
	bucket: RateLimitBucket,
	key: string,
	{ now = new Date(), db = getDb() }: RateLimitOptions = {}
): Promise<boolean> {
	const [row] = await db
		.select({ count: rateLimits.count, resetAt: rateLimits.resetAt })
		.from(rateLimits)
		.where(and(eq(rateLimits.bucket, bucket), eq(rateLimits.key, storedKey(key))))
		.limit(1);
	return Boolean(row && row.resetAt > now && row.count >= RATE_LIMITS[bucket].limit);
}

/** Forgets a key's count: a successful sign-in ends the run of failures. */
export async function reset(
	bucket: RateLimitBucket,
	key: string,
	{ db = getDb() }: RateLimitOptions = {}
): Promise<void> {
	await db
		.delete(rateLimits)
		.where(and(eq(rateLimits.bucket, bucket), eq(rateLimits.key, storedKey(key))));
}

/** Deletes counters whose window has ended; they would start again from 1 anyway. */
export async function pruneExpired({
	now = new Date(),
	db = getDb()
}: RateLimitOptions = {}): Promise<number> {
	const deleted = await db
		.delete(rateLimits)
		.where(lt(rateLimits.resetAt, now))
		.returning({ key: rateLimits.key });
	return deleted.length;
}

/** A fixed key ("Rate" in ASCII), so every instance competes for the same lock. */
const SWEEP_LOCK = 0x52617465;
const SWEEP_EVERY_MS = 10 * 60 * 1000;

/**
 * `pruneExpired` by one instance at a time: the transaction-scoped advisory lock lets the
 * others skip the turn. Returns the rows deleted, or null when another instance holds the lock.
 */
export async function sweepExpired({
	now = new Date(),
	db = getDb()
}: RateLimitOptions = {}): Promise<number | null> {
	return db.transaction(async (tx) => {
		const [lock] = rowsOf<{ ok: boolean }>(
			await tx.execute(sql`select pg_try_advisory_xact_lock(${SWEEP_LOCK}) as ok`)
		);
		if (!lock?.ok) return null;
		return pruneExpired({ now, db: tx });
	});
}

/**
 * Sweeps now and then every `everyMs` in this process (expired counters are harmless, but a
 * flood of one-off keys would otherwise stay forever); returns a stop function, whose promise
 * settles once a sweep still running has ended.
 */
export function startRateLimitSweep({
	everyMs = SWEEP_EVERY_MS,
	log = console.log
}: { everyMs?: number; log?: (line: string) => void } = {}): () => Promise<void> {
	// One turn at a time: a turn that outlasts the interval makes the next one skip. Were they
	// to overlap, a quick turn (refused the lock by the slow one) could be the one `stop` waits
	// for while the slow one still runs and deletes counters written after the stop.
	let running: Promise<void> | null = null;
	const run = () => {
		if (running) return;
		running = sweepExpired()
			.then(
				(n) => {
					if (n) log(`[rate-limit] pruned ${n} expired counter(s)`);
				},
				(err: unknown) => log(`[rate-limit] prune failed: ${String(err)}`)
			)
			.finally(() => {
				running = null;
			});
	};
	run();
	const timer = setInterval(run, everyMs);
	timer.unref();
	return () => {
		clearInterval(timer);
		return running ?? Promise.resolve();
	};
}

/**
 * Runs `fn`; when it is refused with `RateLimited`, the response carries `Retry-After` (the
 * form mapper in `forms.ts` then turns the error into a 429 failure with a message).
 */
export async function withRetryAfter<T>(
	event: Pick<RequestEvent, 'setHeaders'>,
	fn: () => Promise<T>
): Promise<T> {
	try {
		return await fn();
	} catch (err) {
		if (err instanceof RateLimited) {
			event.setHeaders({ 'retry-after': String(err.retryAfterSeconds) });
		}
		throw err;
	}
}
