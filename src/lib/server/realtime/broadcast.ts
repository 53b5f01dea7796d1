// REST broadcast (`POST /realtime/v1/api/broadcast`) as Supabase Realtime accepts it:
// `{ messages: [{ topic, event, payload, private }] }`, answered 202. Only server-side senders
// holding the service-role key may publish; the request carries no cookie authority, so a
// foreign Origin is refused and a missing one (non-browser clients) accepted.
import { createHash } from 'node:crypto';
import type { Db } from '../db';
import { consume } from '../auth/rate-limit';
import { RateLimited } from '../errors';
import { isServiceRoleKey } from './jwt';
import {
	MAX_NOTIFY_BYTES,
	broadcastBytes,
	isUuid,
	notifyBroadcasts,
	type BroadcastMessage
} from './notify';

export const MAX_MESSAGES_PER_REQUEST = 100;
const MAX_EVENT_LENGTH = 200;

export interface BroadcastRequest {
	headers: Headers;
	/** The app's own origin (`event.url.origin`). */
	origin: string;
	body: string;
}

export type BroadcastOutcome =
	| { ok: true; accepted: number }
	| {
			ok: false;
			status: 400 | 401 | 403 | 413 | 429;
			error: string;
			message: string;
			retryAfterSeconds?: number;
	  };

type Failure = Extract<BroadcastOutcome, { ok: false }>;

const refuse = (status: Failure['status'], error: string, message: string): Failure => ({
	ok: false,
	status,
	error,
	message
});

/** The service-role key from `apikey` or `Authorization: Bearer`, whichever carries it. */
export async function serviceCredential(
	headers: Headers,
	jwtSecret: string
): Promise<string | null> {
	const bearer = /^Bearer\s+(\S+)$/i.exec(headers.get('authorization') ?? '')?.[1];
	for (const candidate of [headers.get('apikey'), bearer]) {
		if (candidate && (await isServiceRoleKey(candidate, jwtSecret))) return candidate;
	}
	return null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isTopic(value: unknown): value is string {
	if (typeof value !== 'string') return false;
	const colon = value.indexOf(':');
	const kind = value.slice(0, colon);
	return (kind === 'team' || kind === 'event') && isUuid(value.slice(colon + 1));
}

/** Validates the body; every failure names the offending field. */
export function parseBroadcastBody(body: string): BroadcastMessage[] | Failure {
	let value: unknown;
	try {
		value = JSON.parse(body);
	} catch {
		return refuse(400, 'invalid_json', 'The body must be JSON: {"messages": [...]}');
	}
	if (!isRecord(value) || !Array.isArray(value.messages)) {
		return refuse(400, 'invalid_body', 'The body must be an object with a "messages" array');
	}
	const list: unknown[] = value.messages;
	if (list.length === 0 || list.length > MAX_MESSAGES_PER_REQUEST) {
		return refuse(
			400,
			'invalid_body',
			`"messages" must hold 1 to ${MAX_MESSAGES_PER_REQUEST} messages`
		);
	}
	const messages: BroadcastMessage[] = [];
	for (const [i, item] of list.entries()) {
		const at = `messages[${i}]`;
		if (!isRecord(item)) return refuse(400, 'invalid_message', `${at} must be an object`);
		if (!isTopic(item.topic)) {
			return refuse(400, 'invalid_topic', `${at}.topic must be "team:<uuid>" or "event:<uuid>"`);
		}
		if (
			typeof item.event !== 'string' ||
			item.event.length === 0 ||
			item.event.length > MAX_EVENT_LENGTH
		) {
			return refuse(
				400,
				'invalid_event',
				`${at}.event must be a string of 1 to ${MAX_EVENT_LENGTH} characters`
			);
		}
		if (!isRecord(item.payload)) {
			return refuse(400, 'invalid_payload', `${at}.payload must be a JSON object`);
		}
		// Every channel here is private; a public broadcast would reach nobody, silently.
		if (item.private !== undefined && item.private !== true) {
			return refuse(400, 'public_not_supported', `${at}.private must be true (or left out)`);
		}
		messages.push({ topic: item.topic, event: item.event, payload: item.payload });
	}
	return messages;
}

function isForeignOrigin(origin: string | null, own: string): boolean {
	return origin !== null && origin !== own;
}

/**
 * Checks origin, credential, rate limit and body, then publishes through NOTIFY, so that every
 * instance (this one included, through its own LISTEN) delivers each message exactly once.
 */
export async function acceptBroadcast(
	request: BroadcastRequest,
	context: { db: Db; jwtSecret: string }
): Promise<BroadcastOutcome> {
	if (isForeignOrigin(request.headers.get('origin'), request.origin)) {
		return refuse(403, 'origin_not_allowed', 'Cross-origin broadcasts are not accepted');
	}
	const credential = await serviceCredential(request.headers, context.jwtSecret);
	if (!credential) {
		return refuse(401, 'unauthorized', 'A service-role key is required (apikey or Bearer)');
	}
	try {
		// Keyed by a hash: the rate_limits table must not hold a usable credential.
		const key = createHash('sha256').update(credential).digest('hex');
		await consume('broadcast', key, { db: context.db });
	} catch (err) {
		if (!(err instanceof RateLimited)) throw err;
		return {
			...refuse(429, 'rate_limited', 'Too many broadcasts; try again later'),
			retryAfterSeconds: err.retryAfterSeconds
		};
	}
	const messages = parseBroadcastBody(request.body);
	if (!Array.isArray(messages)) return messages;
	const tooBig = messages.findIndex((m) => broadcastBytes(m) > MAX_NOTIFY_BYTES);
	if (tooBig >= 0) {
		return refuse(
			413,
			'payload_too_large',
			`messages[${tooBig}] is larger than ${MAX_NOTIFY_BYTES} bytes once encoded`
		);
	}
	await notifyBroadcasts(context.db, messages);
	return { ok: true, accepted: messages.length };
}
