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
	type TaskCounts,
	type Topic
} from './hints';
import { BROADCAST_CHANNEL } from './notify';
import { realtimeMode } from '../env';

export type { Hint, TaskCounts, Topic } from './hints';

export async function publish(
	tx: Queryable,
	topic: Topic,
	event: typeof HINT_EVENT,
	payload: Hint
): Promise<number> {
	const hint = makeHint(topic, payload.kinds, payload.ids, payload.counts);
	const bump = sql`insert into realtime_topic_versions (topic, version) values (${topic}, 1)
		on conflict (topic) do update set version = realtime_topic_versions.version + 1
		returning version`;
	const body = sql`${JSON.stringify(hint)}::jsonb || jsonb_build_object('version', v.version)`;
	if (realtimeMode() === 'supabase') {
		// private = true: only members whom the realtime.messages policies admit receive it.
		return versionOf(
			await tx.execute(
				sql`with v as (${bump}) select realtime.send(${body}, ${event}, ${topic}, true), v.version from v`
			)
		);
	}
	const message = sql`jsonb_build_object('topic', ${topic}::text, 'event', ${event}::text, 'payload', ${body})`;
	return versionOf(
		await tx.execute(
			sql`with v as (${bump}) select pg_notify(${BROADCAST_CHANNEL}, (${message})::text), v.version from v`
		)
	);
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
	counts?: Record<string, TaskCounts>
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
 * Hints gathered while a command still takes locks, published together by `flush()` once it
 * takes no more: one per topic, their kinds, ids and counts merged in the order they came.
 */
export class LaterHints {
	readonly #byTopic = new Map<Topic, Hint>();

	add(
		topic: Topic,
		kinds: readonly string[],
		ids?: readonly string[],
		counts?: Record<string, TaskCounts>
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
