// What a phone's outbox sends with a queued command: the item's idempotency key and how long it
// waited on the phone (measured on the phone's own clock, start and end, so a clock set wrong
// cancels out). The key is taken inside the command's transaction: a repeat finds it there and
// changes nothing; a command that fails rolls its key back, so the retry may still succeed.
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { outboxKeys } from '../db/schema';
import type { Tx } from '../db';
import { readEnv } from '../env';
import { parseInput } from '../validate';
import { idSchema } from '$lib/schemas/common';

export type OutboxKind =
	'check_in' | 'check_out' | 'incident' | 'hand_in' | 'hand_out' | 'announcement';

export interface Queued {
	/** The outbox item's idempotency key; absent for a form sent straight from the page. */
	key?: string;
	/** How long the item waited on the phone, in milliseconds (0 when sent at once). */
	waitedMs: number;
}

/** A week: beyond that a phone's count is nonsense; each command applies its own limit. */
const MAX_WAITED_MS = 7 * 24 * 3600 * 1000;

const waitedSchema = z.coerce
	.number({ error: 'outbox_error_waited' })
	.int('outbox_error_waited')
	.min(0, 'outbox_error_waited')
	.max(MAX_WAITED_MS, 'outbox_error_waited');

/** The outbox fields of a form (`outboxKey`, `waitedMs`); both optional, both checked. */
export function readQueued(values: { outboxKey?: string; waitedMs?: string }): Queued {
	const key = values.outboxKey?.trim() ? parseInput(idSchema, values.outboxKey) : undefined;
	const waitedMs = values.waitedMs?.trim() ? parseInput(waitedSchema, values.waitedMs) : 0;
	return { key, waitedMs };
}

/** OFFLINE_CHECKIN_MAX in milliseconds (default 2 h). */
export function offlineLimitMs(): number {
	return readEnv().offlineCheckinMaxMinutes * 60_000;
}

/**
 * When the person acted, on the server's clock: the arrival less the time the item waited,
 * never in the future and never earlier than the offline limit allows.
 */
export function actedAt(now: Date, queued: Queued | undefined, limitMs = offlineLimitMs()): Date {
	const waited = Math.min(queued?.waitedMs ?? 0, limitMs);
	return new Date(now.getTime() - waited);
}

/** A key accepted before, and the row its first sending made (when it made one). */
export interface Repeat {
	resultId: string | null;
}

/**
 * Records the key in the command's transaction, with the id of the row the command is about to
 * make. Null: new, go on. A `Repeat`: this key was accepted before; the command must change
 * nothing and answer as the first time. Without a key every call is new. Two sendings at once
 * meet on the primary key: the second waits for the first to commit, then sees the repeat.
 */
export async function takeKey(
	tx: Tx,
	userId: string,
	queued: Queued | undefined,
	kind: OutboxKind,
	eventId: string,
	resultId: string | null = null
): Promise<Repeat | null> {
	if (!queued?.key) return null;
	const taken = await tx
		.insert(outboxKeys)
		.values({ userId, key: queued.key, kind, eventId, resultId })
		.onConflictDoNothing()
		.returning({ key: outboxKeys.key });
	if (taken.length > 0) return null;
	return (await findRepeat(tx, userId, queued)) ?? { resultId: null };
}

/**
 * A key accepted before, looked up without taking it: for a command that must answer a repeat
 * before judging its input again (a check-in code that was right when it first arrived).
 */
export async function findRepeat(
	tx: Tx,
	userId: string,
	queued: Queued | undefined
): Promise<Repeat | null> {
	if (!queued?.key) return null;
	const [first] = await tx
		.select({ resultId: outboxKeys.resultId })
		.from(outboxKeys)
		.where(and(eq(outboxKeys.userId, userId), eq(outboxKeys.key, queued.key)));
	return first ? { resultId: first.resultId } : null;
}
