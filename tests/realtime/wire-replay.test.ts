// Replays the client frames of fixtures/realtime-wire.txt (a copy of
// ../shared/reference/realtime-wire.log: the real supabase-js talking to a compatible server)
// against our hub, in log order, and checks every server frame the log shows, frame by frame.
//
// Deliberate differences, each asserted below rather than skipped:
// - the log's topic `event:1` becomes `event:<uuid>` (the hub accepts team:/event:<uuid> only);
// - tokens are re-signed with our secret, `exp` shifted to today (BAD's with a wrong secret),
//   and the log's hour-long ones cut to the 10 minutes the hub accepts (it refuses longer);
// - a private join with no access_token at all (RACE: subscribed before its token was known) is
//   refused with MISSING_TOKEN_REASON, which says how to avoid it, not the plain Unauthorized;
// - `realtime:lobby` (public) is refused with PrivateOnly, so its leave gets `unmatched topic`;
// - client broadcasts are refused: the sender gets an error reply, and the test publishes the
//   same message server-side so the fan-out the log shows is still checked, byte for byte;
// - the REST-delivered broadcasts are published with hub.broadcast (REST is not the hub's job).
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
	MAX_TOKEN_TTL_SECONDS,
	MISSING_TOKEN_REASON,
	signClaimsForTest
} from '../../src/lib/server/realtime/jwt';
import { RawClient, SECRET, startServer, type RawFrame, type TestServer } from './helpers';

const LOG = readFileSync(new URL('./fixtures/realtime-wire.txt', import.meta.url), 'utf8');
// The log's clock: EXP's token (exp 1795929503) was "expired 5 seconds ago".
const LOG_NOW = 1_795_929_508;
const LOG_ANON_KEY = 'local-anon-key';
const USER_A = '00000000-0000-4000-8000-00000000000a';
const USER_C = '00000000-0000-4000-8000-00000000000c';

type Entry =
	| { kind: 'connect'; label: string; url: string }
	| { kind: 'send' | 'expect'; label: string; text: string | null; bytes: Buffer | null };

function parseLog(log: string): Entry[] {
	const entries: Entry[] = [];
	for (const line of log.split('\n')) {
		if (line.startsWith('REST:')) break;
		const connect = /^(\w+) CONNECT (\S+)$/.exec(line);
		if (connect) {
			entries.push({ kind: 'connect', label: connect[1], url: connect[2] });
			continue;
		}
		const frame = /^(\w+) (=>|<=) (.*)$/.exec(line);
		if (!frame) continue; // server log lines ("hub join refused ...") and blanks
		const kind = frame[2] === '=>' ? 'send' : 'expect';
		const binary = /^binary ([0-9a-f]+)/.exec(frame[3]);
		entries.push(
			binary
				? { kind, label: frame[1], text: null, bytes: Buffer.from(binary[1], 'hex') }
				: { kind, label: frame[1], text: frame[3], bytes: null }
		);
	}
	return entries;
}

let server: TestServer;
const eventId = randomUUID();
const subTopic = `event:${eventId}`;
const topic = `realtime:${subTopic}`;
const realNow = Math.floor(Date.now() / 1000);

beforeAll(async () => {
	server = await startServer({ anonKey: LOG_ANON_KEY });
	server.allow(subTopic, USER_A);
	server.allow(subTopic, USER_C);
});
afterAll(async () => {
	await server.close();
});

const retopic = (text: string): string => text.replace(/event:1(?![0-9])/g, subTopic);

async function resignTokens(text: string, label: string): Promise<string> {
	const JWT = /eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/g;
	const resigned = await Promise.all(
		[...text.matchAll(JWT)].map(([jwt]) => {
			const claims = JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));
			claims.exp = realNow + Math.min(claims.exp - LOG_NOW, MAX_TOKEN_TTL_SECONDS);
			return signClaimsForTest(claims, label === 'BAD' ? 'not-the-secret' : SECRET);
		})
	);
	return text.replace(JWT, () => resigned.shift() ?? '');
}

interface Broadcast {
	kind: number;
	joinRef: string;
	ref: string;
	event: string;
	encoding: number;
	payload: Buffer;
}

/** Independent of protocol.ts on purpose: parses kind 3 / kind 4 straight from the bytes. */
function parseBinary(buf: Buffer): Broadcast {
	const kind = buf[0];
	if (kind === 3) {
		const [jr, r, t, e, m, enc] = [buf[1], buf[2], buf[3], buf[4], buf[5], buf[6]];
		let o = 7;
		const s = (n: number) => buf.toString('latin1', o, (o += n));
		const joinRef = s(jr);
		const ref = s(r);
		s(t);
		const event = s(e);
		s(m);
		return { kind, joinRef, ref, event, encoding: enc, payload: buf.subarray(o) };
	}
	const [t, e, m, enc] = [buf[1], buf[2], buf[3], buf[4]];
	let o = 5 + t;
	const event = buf.toString('latin1', o, (o += e));
	o += m;
	return { kind, joinRef: '', ref: '', event, encoding: enc, payload: buf.subarray(o) };
}

/** Rewrites a log binary frame for our topic, recomputing the topic length byte. */
function retopicBinary(buf: Buffer): Buffer {
	const kind = buf[0];
	const lenIndex = kind === 3 ? 3 : 1;
	const headerLen = kind === 3 ? 7 : 5;
	const before = kind === 3 ? buf[1] + buf[2] : 0;
	const topicStart = headerLen + before;
	const oldTopicLen = buf[lenIndex];
	const header = Buffer.from(buf.subarray(0, topicStart));
	header[lenIndex] = Buffer.byteLength(topic);
	return Buffer.concat([header, Buffer.from(topic), buf.subarray(topicStart + oldTopicLen)]);
}

type Expected = { text: string; v1: boolean } | { bytes: Buffer };

function normalize(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(normalize);
	if (value && typeof value === 'object') {
		const out: Record<string, unknown> = {};
		for (const [k, v] of Object.entries(value)) {
			out[k] = k === 'phx_ref' || k === 'phx_ref_prev' ? '<phx_ref>' : normalize(v);
		}
		return out;
	}
	if (typeof value === 'string') return value.replace(/expired \d+ seconds/, 'expired N seconds');
	return value;
}

function collectRefs(value: unknown, out: string[] = []): string[] {
	if (Array.isArray(value)) value.forEach((v) => collectRefs(v, out));
	else if (value && typeof value === 'object') {
		for (const [k, v] of Object.entries(value)) {
			if (k === 'phx_ref') out.push(String(v));
			else collectRefs(v, out);
		}
	}
	return out;
}

const V1_KEYS = ['join_ref', 'ref', 'topic', 'event', 'payload'];

it('matches the reference server frame by frame', async () => {
	const entries = parseLog(LOG);
	expect(entries.filter((e) => e.kind === 'send').length).toBe(48);
	const clients = new Map<string, RawClient>();
	const published = new Set<string>();
	/** `label joinRef` of the joins sent with no access_token. */
	const tokenless = new Set<string>();
	const refMap = new Map<string, string>();
	let checked = 0;

	const publish = (event: string, payload: unknown, key: string): void => {
		published.add(key);
		server.hub.broadcast(subTopic, event, payload);
	};

	const expectFrame = async (label: string, expected: Expected): Promise<void> => {
		const client = clients.get(label);
		if (!client) throw new Error(`no client ${label}`);
		if ('bytes' in expected) {
			const got = await client.take(
				(f) => f.binary && f.bytes.equals(expected.bytes),
				5_000,
				`${label} binary ${expected.bytes.toString('hex')}`
			);
			expect(got.bytes.equals(expected.bytes)).toBe(true);
			checked += 1;
			return;
		}
		const want = JSON.parse(expected.text);
		const wantNorm = normalize(want);
		const got: RawFrame = await client.take(
			(f) => !f.binary && JSON.stringify(normalize(f.json)) === JSON.stringify(wantNorm),
			5_000,
			`${label} <= ${expected.text}`
		);
		expect(normalize(got.json)).toEqual(wantNorm);
		if (expected.v1) expect(Object.keys(got.json as object)).toEqual(V1_KEYS);
		// phx_refs are ours, but must pair one-to-one with the log's (same presence, same ref).
		const wantRefs = collectRefs(want);
		const gotRefs = collectRefs(got.json);
		expect(gotRefs).toHaveLength(wantRefs.length);
		wantRefs.forEach((w, i) => {
			if (!refMap.has(w)) refMap.set(w, gotRefs[i]);
			expect(gotRefs[i]).toBe(refMap.get(w));
		});
		checked += 1;
	};

	for (const entry of entries) {
		if (entry.kind === 'connect') {
			const url = entry.url.replace(/^ws:\/\/[^/]+/, `ws://127.0.0.1:${server.port}`);
			clients.set(entry.label, await RawClient.open(url));
			continue;
		}
		const client = clients.get(entry.label);
		if (!client) throw new Error(`frame before connect: ${entry.label}`);
		const v1 = entry.text?.startsWith('{') ?? false;

		if (entry.kind === 'send') {
			if (entry.bytes) {
				const frame = retopicBinary(entry.bytes);
				client.send(frame);
				const b = parseBinary(frame);
				const reason = `Unauthorized: You do not have permissions to write to this Channel topic: ${subTopic}`;
				await expectFrame(entry.label, {
					text: JSON.stringify([
						b.joinRef,
						b.ref,
						topic,
						'phx_reply',
						{ status: 'error', response: { reason } }
					]),
					v1: false
				});
				// Refused, so publish it server-side: the log's fan-out is checked against that.
				if (b.encoding === 1) {
					const payload: unknown = JSON.parse(b.payload.toString('utf8'));
					publish(b.event, payload, `${b.event}:${JSON.stringify(payload)}`);
					await expectFrame(entry.label, {
						text: JSON.stringify([
							null,
							null,
							topic,
							'broadcast',
							{ type: 'broadcast', event: b.event, payload }
						]),
						v1: false
					});
				} else {
					publish(
						b.event,
						new Uint8Array(b.payload),
						`${b.event}:bin:${b.payload.toString('hex')}`
					);
					await expectFrame(entry.label, {
						bytes: Buffer.concat([
							Buffer.from([4, Buffer.byteLength(topic), b.event.length, 0, 0]),
							Buffer.from(topic),
							Buffer.from(b.event),
							b.payload
						])
					});
				}
				continue;
			}
			const sent = await resignTokens(retopic(entry.text ?? ''), entry.label);
			const frame = JSON.parse(sent);
			const [joinRef, , , event, payload] = v1
				? [frame.join_ref, frame.ref, frame.topic, frame.event, frame.payload]
				: frame;
			if (event === 'phx_join' && payload?.access_token === undefined) {
				tokenless.add(`${entry.label} ${joinRef}`);
			}
			client.send(sent);
			continue;
		}

		// Expected server frames.
		if (entry.bytes) {
			const bytes = retopicBinary(entry.bytes);
			const b = parseBinary(bytes);
			const key = `${b.event}:bin:${b.payload.toString('hex')}`;
			if (!published.has(key)) publish(b.event, new Uint8Array(b.payload), key);
			await expectFrame(entry.label, { bytes });
			continue;
		}
		const text = retopic(entry.text ?? '');
		const frame = JSON.parse(text);
		const [joinRef, ref, frameTopic, event, payload] = v1
			? [frame.join_ref, frame.ref, frame.topic, frame.event, frame.payload]
			: frame;
		/** The hub's error reply to this frame's join or leave, with our reason. */
		const errorReply = (reason: string): Expected => ({
			text: JSON.stringify([
				joinRef,
				ref,
				frameTopic,
				'phx_reply',
				{ status: 'error', response: { reason } }
			]),
			v1
		});
		if (frameTopic === 'realtime:lobby') {
			// Public channel: refused at join, so the leave finds no channel and nothing closes.
			if (event === 'phx_close') continue;
			const reason =
				ref === joinRef
					? 'PrivateOnly: This project only allows private channels'
					: 'unmatched topic';
			await expectFrame(entry.label, errorReply(reason));
			continue;
		}
		if (event === 'phx_reply' && ref === joinRef && tokenless.has(`${entry.label} ${joinRef}`)) {
			// A private join with no access_token at all: refused as the log shows, but with the
			// reason that says how to avoid it (jwt.ts, MISSING_TOKEN_REASON).
			expect(payload.response.reason).toMatch(/^Unauthorized: /);
			await expectFrame(entry.label, errorReply(MISSING_TOKEN_REASON));
			continue;
		}
		if (event === 'broadcast') {
			const key = `${payload.event}:${JSON.stringify(payload.payload)}`;
			// Not from a replayed client frame: the log got it over REST.
			if (!published.has(key)) publish(payload.event, payload.payload, key);
		}
		await expectFrame(entry.label, { text, v1 });
	}

	// Nothing beyond what the log shows (plus the asserted differences) was sent.
	await new Promise((r) => setTimeout(r, 200));
	for (const [label, client] of clients) {
		expect({ label, extra: client.frames.map((f) => f.text || f.bytes.toString('hex')) }).toEqual({
			label,
			extra: []
		});
	}
	expect(checked).toBeGreaterThan(60);
	for (const client of clients.values()) client.close();
});
