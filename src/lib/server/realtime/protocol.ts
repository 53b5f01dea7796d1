// Phoenix channel frames as Supabase Realtime speaks them (vsn 1.0.0 and 2.0.0).
// The binary layouts mirror @supabase/realtime-js lib/serializer.ts: the client sends
// "user broadcast push" (kind 3) and decodes "user broadcast" (kind 4).

export type Vsn = '1.0.0' | '2.0.0';

export const VSNS: readonly Vsn[] = ['1.0.0', '2.0.0'];

export type Payload = Record<string, unknown>;

export interface Message {
	join_ref: string | null;
	ref: string | null;
	topic: string;
	event: string;
	payload: unknown;
}

export type DecodeResult = { ok: true; message: Message } | { ok: false; error: string };

export const KIND_USER_BROADCAST_PUSH = 3;
export const KIND_USER_BROADCAST = 4;
const BINARY_ENCODING = 0;
const JSON_ENCODING = 1;

const TOPIC_PREFIX = 'realtime:';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export type BinaryPayload = Uint8Array | ArrayBuffer;

export function isBinaryPayload(value: unknown): value is BinaryPayload {
	return value instanceof Uint8Array || value instanceof ArrayBuffer;
}

function refOrNull(value: unknown): string | null | undefined {
	if (value === null || value === undefined) return null;
	if (typeof value === 'string') return value;
	// Phoenix clients always send refs as strings; a number here means a foreign client.
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return undefined;
}

function checkMessage(
	joinRef: unknown,
	ref: unknown,
	topic: unknown,
	event: unknown,
	payload: unknown
): DecodeResult {
	const jr = refOrNull(joinRef);
	const r = refOrNull(ref);
	if (jr === undefined || r === undefined) return { ok: false, error: 'bad ref' };
	if (typeof topic !== 'string' || topic.length === 0) return { ok: false, error: 'bad topic' };
	if (typeof event !== 'string' || event.length === 0) return { ok: false, error: 'bad event' };
	return { ok: true, message: { join_ref: jr, ref: r, topic, event, payload: payload ?? {} } };
}

function decodeText(text: string, vsn: Vsn): DecodeResult {
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch {
		return { ok: false, error: 'invalid JSON' };
	}
	if (vsn === '2.0.0') {
		if (!Array.isArray(parsed) || parsed.length !== 5) {
			return { ok: false, error: 'expected [join_ref, ref, topic, event, payload]' };
		}
		const [joinRef, ref, topic, event, payload] = parsed as unknown[];
		return checkMessage(joinRef, ref, topic, event, payload);
	}
	if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
		return { ok: false, error: 'expected {join_ref, ref, topic, event, payload}' };
	}
	const obj = parsed as Record<string, unknown>;
	return checkMessage(obj.join_ref, obj.ref, obj.topic, obj.event, obj.payload);
}

// Kind 3: kind, joinRefLen, refLen, topicLen, eventLen, metaLen, encoding, then the strings,
// then the user payload (raw bytes or JSON text).
function decodeUserBroadcastPush(buf: Buffer): DecodeResult {
	const header = 7;
	if (buf.length < header) return { ok: false, error: 'short binary frame' };
	const joinRefLen = buf[1];
	const refLen = buf[2];
	const topicLen = buf[3];
	const eventLen = buf[4];
	const metaLen = buf[5];
	const encoding = buf[6];
	const stringsEnd = header + joinRefLen + refLen + topicLen + eventLen + metaLen;
	if (buf.length < stringsEnd) return { ok: false, error: 'short binary frame' };
	let offset = header;
	const take = (len: number): string => {
		const s = buf.toString('utf8', offset, offset + len);
		offset += len;
		return s;
	};
	const joinRef = take(joinRefLen);
	const ref = take(refLen);
	const topic = take(topicLen);
	const userEvent = take(eventLen);
	const metaText = take(metaLen);
	const body = buf.subarray(stringsEnd);
	let userPayload: unknown;
	if (encoding === JSON_ENCODING) {
		try {
			userPayload = JSON.parse(body.toString('utf8'));
		} catch {
			return { ok: false, error: 'invalid JSON in binary broadcast' };
		}
	} else if (encoding === BINARY_ENCODING) {
		userPayload = new Uint8Array(body);
	} else {
		return { ok: false, error: `unknown payload encoding ${encoding}` };
	}
	const payload: Payload = { type: 'broadcast', event: userEvent, payload: userPayload };
	if (metaLen > 0) {
		try {
			payload.meta = JSON.parse(metaText);
		} catch {
			return { ok: false, error: 'invalid JSON metadata in binary broadcast' };
		}
	}
	// The serializer writes '' for absent refs.
	return checkMessage(joinRef || null, ref || null, topic, 'broadcast', payload);
}

/** Decodes one client frame. Binary frames exist only in vsn 2.0.0. */
export function decodeFrame(data: Buffer | string, isBinary: boolean, vsn: Vsn): DecodeResult {
	if (!isBinary) return decodeText(typeof data === 'string' ? data : data.toString('utf8'), vsn);
	if (vsn !== '2.0.0') return { ok: false, error: 'binary frames need vsn 2.0.0' };
	const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
	if (buf.length === 0) return { ok: false, error: 'empty binary frame' };
	if (buf[0] === KIND_USER_BROADCAST_PUSH) return decodeUserBroadcastPush(buf);
	return { ok: false, error: `unsupported binary kind ${buf[0]}` };
}

/** Encodes a JSON frame: arrays for 2.0.0, objects (join_ref first, like Phoenix) for 1.0.0. */
export function encodeFrame(message: Message, vsn: Vsn): string {
	if (vsn === '2.0.0') {
		return JSON.stringify([
			message.join_ref,
			message.ref,
			message.topic,
			message.event,
			message.payload
		]);
	}
	return JSON.stringify({
		join_ref: message.join_ref,
		ref: message.ref,
		topic: message.topic,
		event: message.event,
		payload: message.payload
	});
}

function toBytes(payload: BinaryPayload): Uint8Array {
	return payload instanceof Uint8Array ? payload : new Uint8Array(payload);
}

/**
 * Kind 4 frame: kind, topicLen, eventLen, metaLen, encoding, then topic, event, meta, payload.
 * Lengths are single bytes, so topic and event must stay under 256 bytes.
 */
export function encodeUserBroadcast(
	topic: string,
	userEvent: string,
	payload: unknown,
	meta?: Payload
): Buffer {
	const topicBytes = Buffer.from(topic, 'utf8');
	const eventBytes = Buffer.from(userEvent, 'utf8');
	const metaBytes = Buffer.from(meta ? JSON.stringify(meta) : '', 'utf8');
	for (const [name, b] of [
		['topic', topicBytes],
		['event', eventBytes],
		['metadata', metaBytes]
	] as const) {
		if (b.length > 255) throw new RangeError(`${name} is longer than 255 bytes`);
	}
	const binary = isBinaryPayload(payload);
	const body = binary ? toBytes(payload) : Buffer.from(JSON.stringify(payload ?? {}), 'utf8');
	const header = Buffer.from([
		KIND_USER_BROADCAST,
		topicBytes.length,
		eventBytes.length,
		metaBytes.length,
		binary ? BINARY_ENCODING : JSON_ENCODING
	]);
	return Buffer.concat([header, topicBytes, eventBytes, metaBytes, body]);
}

/**
 * The frame a server-side broadcast becomes for one socket. JSON payloads go as text frames in
 * both versions (that is what the reference server sent); binary payloads go as kind 4 to 2.0.0
 * sockets only, because the 1.0.0 client decodes every frame with JSON.parse: null means "skip".
 */
export function encodeServerBroadcast(
	topic: string,
	userEvent: string,
	payload: unknown,
	vsn: Vsn
): string | Buffer | null {
	if (isBinaryPayload(payload)) {
		return vsn === '2.0.0' ? encodeUserBroadcast(topic, userEvent, payload) : null;
	}
	return encodeFrame(
		{
			join_ref: null,
			ref: null,
			topic,
			event: 'broadcast',
			payload: { type: 'broadcast', event: userEvent, payload }
		},
		vsn
	);
}

export function replyFrame(
	request: Pick<Message, 'join_ref' | 'ref' | 'topic'>,
	status: 'ok' | 'error',
	response: Payload
): Message {
	return {
		join_ref: request.join_ref,
		ref: request.ref,
		topic: request.topic,
		event: 'phx_reply',
		payload: { status, response }
	};
}

export type TopicKind = 'team' | 'event' | 'event-staff';

export interface ParsedTopic {
	/** Full channel topic, `realtime:team:<uuid>`. */
	topic: string;
	/** Topic without the `realtime:` prefix, as Supabase's `realtime.topic()` returns it. */
	subTopic: string;
	kind: TopicKind;
	id: string;
}

/**
 * Accepts only `realtime:team:<uuid>`, `realtime:event:<uuid>` and `realtime:event-staff:<uuid>`
 * (an event's captains and group leaders: incident hints), lower-case uuid.
 */
export function parseTopic(topic: string): ParsedTopic | null {
	if (!topic.startsWith(TOPIC_PREFIX)) return null;
	const subTopic = topic.slice(TOPIC_PREFIX.length);
	const colon = subTopic.indexOf(':');
	if (colon < 0) return null;
	const kind = subTopic.slice(0, colon);
	const id = subTopic.slice(colon + 1);
	if (kind !== 'team' && kind !== 'event' && kind !== 'event-staff') return null;
	// Lower case only: Postgres prints uuids lower-case, and a differently-cased topic would
	// never receive the server's publishes.
	if (!UUID.test(id)) return null;
	return { topic, subTopic, kind, id };
}

export function subTopicOf(topic: string): string {
	return topic.startsWith(TOPIC_PREFIX) ? topic.slice(TOPIC_PREFIX.length) : topic;
}

export function channelTopic(topicOrSubTopic: string): string {
	return topicOrSubTopic.startsWith(TOPIC_PREFIX)
		? topicOrSubTopic
		: TOPIC_PREFIX + topicOrSubTopic;
}
