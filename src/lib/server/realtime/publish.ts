// Publishing a hint from a domain command, inside its writing transaction. In self mode it is a
// pg_notify that every instance's hub hears; on Supabase it is `realtime.send(...)`, a row in
// realtime.messages that Supabase Realtime delivers. Either way it leaves only on commit, so
// nothing is sent for a rolled-back change.
//
// The same statement bumps the topic's version (`realtime_topic_versions`): the row stays
// locked until commit, so the hints of one topic are numbered in the order they commit, the
// order in which NOTIFY delivers them. The bump is a command's last write: call `hint` after
// the command's other locks (a task row taken after the topic row could deadlock with a claim,
// which holds its task and then wants the topic).
import { eq, sql } from 'drizzle-orm';
import { realtimeTopicVersions } from '../db/schema';
import { rowsOf, type Queryable } from '../db';
import {
	makeHint,
	mergeHints,
	type Hint,
	type HINT_EVENT,
	type HintCounts,
	type Topic
} from './hints';
import { BROADCAST_CHANNEL } from './notify';
import { realtimeMode } from '../env';

export type { Hint, HintCounts, TaskCounts, Topic } from './hints';

export async function publish(
	tx: Queryable,
	topic: Topic,
	event: typeof HINT_EVENT,
	payload: Hint
): Promise<number> {
	const hint = makeHint(topic, payload.kinds, payload.ids, payload.counts);
	// tongxing_publish_hint (supabase/migrations/…_realtime_coalescing_functions.sql): the same
	// statement as the claim functions', so a topic's hints are alike whoever sends them, and on
	// Supabase coalesced to one message per REALTIME_TOPIC_MAX_RATE (see startHintFlusher).
	return versionOf(
		await tx.execute(
			sql`select public.tongxing_publish_hint(${topic}::text, ${JSON.stringify(hint)}::jsonb, ${hintChannel()}::text) as version`
		)
	);
}

/** Where hints go: pg_notify's channel, or null for realtime.send (supabase mode). */
export function hintChannel(): string | null {
	return realtimeMode() === 'supabase' ? null : BROADCAST_CHANNEL;
}

function versionOf(result: unknown): number {
	const [row] = rowsOf<{ version: string | number }>(result);
	return Number(row.version);
}

/** The usual call: `await hint(tx, 'team:<id>', ['members'], [userId])`. Gives the version. */
export function hint(
	tx: Queryable,
	topic: Topic,
	kinds: readonly string[],
	ids?: readonly string[],
	counts?: Record<string, HintCounts>
): Promise<number> {
	return publish(tx, topic, 'hint', { kinds: [...kinds], ids: ids && [...ids], counts });
}

/** The topic's current version (0 before its first hint): a page's starting point. */
export async function topicVersion(tx: Queryable, topic: Topic): Promise<number> {
	const [row] = await tx
		.select({ version: realtimeTopicVersions.version })
		.from(realtimeTopicVersions)
		.where(eq(realtimeTopicVersions.topic, topic));
	return row?.version ?? 0;
}

/**
 * Takes the topic's version row now, for a command whose hint carries numbers it must read
 * first (the attendance board's counts, an aggregate of many rows): once held, no other hint of
 * the topic commits before this one, so numbers read after it are those at this hint's version.
 * Take it after the command's other locks, as `hint` would be.
 */
export async function lockTopic(tx: Queryable, topic: Topic): Promise<void> {
	await tx
		.insert(realtimeTopicVersions)
		.values({ topic, version: 0 })
		.onConflictDoUpdate({
			target: realtimeTopicVersions.topic,
			set: { version: sql`${realtimeTopicVersions.version}` }
		});
}

/**
 * Hints gathered while a command still takes locks, published together by `flush()` once it
 * takes no more: one per topic, their kinds, ids and counts merged in the order they came.
 */
export class LaterHints {
	readonly #byTopic = new Map<Topic, Hint>();

	add(
		topic: Topic,
		kinds: readonly string[],
		ids?: readonly string[],
		counts?: Record<string, HintCounts>
	): void {
		const next = makeHint(topic, kinds, ids, counts);
		const before = this.#byTopic.get(topic);
		this.#byTopic.set(topic, before ? mergeHints(before, next) : next);
	}

	async flush(tx: Queryable): Promise<void> {
		// Topics in a fixed order, so two such commands take the version rows alike.
		for (const topic of [...this.#byTopic.keys()].sort()) {
			await publish(tx, topic, 'hint', this.#byTopic.get(topic)!);
		}
		this.#byTopic.clear();
	}
}
