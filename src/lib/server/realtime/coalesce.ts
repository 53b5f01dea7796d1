// Supabase mode's side of coalescing (supabase/migrations/…_realtime_coalescing_functions.sql):
// a topic's first hint after a quiet spell goes out with its transaction; later ones within
// REALTIME_TOPIC_MAX_RATE are merged into the topic's pending hint in the database, and every
// instance sends what is due a few times per rate (`tongxing_flush_hints`, which skips topics
// another instance or a claim holds). State lives in the database, so any number of instances
// send at most one message per topic per rate between them.
import { sql } from 'drizzle-orm';
import { rowsOf, type Queryable } from '../db';
import { appSetting } from '../db/schema';

export const TOPIC_MAX_RATE_SETTING = 'realtime_topic_max_rate_ms';

/** Tells the database the rate (instances started with different values: the last one wins). */
export async function setTopicMaxRate(db: Queryable, ms: number): Promise<void> {
	await db
		.insert(appSetting)
		.values({ key: TOPIC_MAX_RATE_SETTING, value: String(ms) })
		.onConflictDoUpdate({ target: appSetting.key, set: { value: String(ms) } });
}

/** Sends every topic's merged hint whose wait is over; how many messages went out. */
export async function flushHints(db: Queryable): Promise<number> {
	const [row] = rowsOf<{ sent: number }>(
		await db.execute(sql`select public.tongxing_flush_hints() as sent`)
	);
	return Number(row.sent);
}

export interface HintFlusher {
	stop(): Promise<void>;
}

/**
 * Flushes every quarter of the rate (at least every 50 ms, at most every 250 ms): a merged hint
 * leaves at most that long after its turn. One flush at a time; a failed one is logged and the
 * next tries again (the hints wait in the database meanwhile).
 */
export async function startHintFlusher(
	db: Queryable,
	rateMs: number,
	log: (message: string) => void = console.error
): Promise<HintFlusher> {
	await setTopicMaxRate(db, rateMs);
	const every = Math.min(250, Math.max(50, Math.floor(rateMs / 4)));
	let running: Promise<void> | null = null;
	const timer = setInterval(() => {
		if (running) return;
		running = flushHints(db)
			.then(() => undefined)
			.catch((err: unknown) => log(`[realtime] flushing merged hints failed: ${String(err)}`))
			.finally(() => (running = null));
	}, every);
	timer.unref();
	return {
		async stop() {
			clearInterval(timer);
			await running;
		}
	};
}
