// What crosses from a writing transaction to every instance's hub: NOTIFY on two channels that
// each hub LISTENs to. PostgreSQL delivers a notification only when its transaction commits,
// so a rolled-back change never reaches a browser.
import { sql } from 'drizzle-orm';
import { parseTopic } from './protocol';
import type { Db, Queryable } from '../db';

/** Payload: a team id whose channels every hub re-checks. */
export const MEMBERSHIP_CHANNEL = 'tongxing_membership';
/** Payload: one JSON `{ topic, event, payload }` that every hub fans out to its sockets. */
export const BROADCAST_CHANNEL = 'tongxing_broadcast';
/** Payload: one instance's presence news (presence-relay.ts), heard by the other instances. */
export const PRESENCE_CHANNEL = 'tongxing_presence';
/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more, which would abort the writer. */
export const MAX_NOTIFY_BYTES = 7_999;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isUuid(value: string): boolean {
	return UUID.test(value);
}

/**
 * Call inside the transaction that adds, removes or changes a team member: after it commits,
 * every instance re-checks the team's channels and closes those that lost permission.
 */
export async function notifyMembershipChanged(tx: Queryable, teamId: string): Promise<void> {
	await tx.execute(sql`select pg_notify(${MEMBERSHIP_CHANNEL}, ${teamId})`);
}

export interface BroadcastMessage {
	/** A sub-topic: `team:<uuid>` or `event:<uuid>`. */
	topic: string;
	event: string;
	payload: Record<string, unknown>;
}

export function encodeBroadcast(message: BroadcastMessage): string {
	return JSON.stringify({ topic: message.topic, event: message.event, payload: message.payload });
}

export function broadcastBytes(message: BroadcastMessage): number {
	return Buffer.byteLength(encodeBroadcast(message), 'utf8');
}

/** The hub side: a notification back into a message, or null for anything malformed. */
export function decodeBroadcast(text: string): BroadcastMessage | null {
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch {
		return null;
	}
	if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
	const { topic, event, payload } = value as Record<string, unknown>;
	if (typeof topic !== 'string' || !parseTopic(`realtime:${topic}`)) return null;
	if (typeof event !== 'string' || event.length === 0) return null;
	if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return null;
	return { topic, event, payload: payload as Record<string, unknown> };
}

/**
 * Sends messages to every instance in one transaction: all of them or none. PostgreSQL folds
 * identical notifications of one transaction into one, which suits hints (they are idempotent).
 */
export async function notifyBroadcasts(
	db: Db,
	messages: readonly BroadcastMessage[]
): Promise<void> {
	const encoded = messages.map(encodeBroadcast);
	if (encoded.some((text) => Buffer.byteLength(text, 'utf8') > MAX_NOTIFY_BYTES)) {
		throw new RangeError(`a broadcast message is larger than ${MAX_NOTIFY_BYTES} bytes`);
	}
	await db.transaction(async (tx) => {
		for (const text of encoded) {
			await tx.execute(sql`select pg_notify(${BROADCAST_CHANNEL}, ${text})`);
		}
	});
}
