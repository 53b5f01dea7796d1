// Publishing a hint from a domain command, inside its writing transaction. In self mode it is a
// pg_notify that every instance's hub hears; on Supabase it is `realtime.send(...)`, a row in
// realtime.messages that Supabase Realtime delivers. Either way it leaves only on commit, so
// nothing is sent for a rolled-back change.
import { sql } from 'drizzle-orm';
import type { Queryable } from '../db';
import { makeHint, type Hint, type HINT_EVENT, type Topic } from './hints';
import { BROADCAST_CHANNEL, encodeBroadcast } from './notify';
import { realtimeMode } from '../env';

export type { Hint, Topic } from './hints';

export async function publish(
	tx: Queryable,
	topic: Topic,
	event: typeof HINT_EVENT,
	payload: Hint
): Promise<void> {
	const hint = makeHint(topic, payload.kinds, payload.ids, payload.counts);
	if (realtimeMode() === 'supabase') {
		// private = true: only members whom the realtime.messages policies admit receive it.
		await tx.execute(
			sql`select realtime.send(${JSON.stringify(hint)}::jsonb, ${event}, ${topic}, true)`
		);
		return;
	}
	const text = encodeBroadcast({ topic, event, payload: { ...hint } });
	await tx.execute(sql`select pg_notify(${BROADCAST_CHANNEL}, ${text})`);
}

/** The usual call: `await hint(tx, 'team:<id>', ['members'], [userId])`. */
export function hint(
	tx: Queryable,
	topic: Topic,
	kinds: readonly string[],
	ids?: readonly string[],
	counts?: Record<string, number>
): Promise<void> {
	return publish(tx, topic, 'hint', { kinds: [...kinds], ids: ids && [...ids], counts });
}
