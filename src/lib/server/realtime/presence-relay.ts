// Presence across instances (postgres mode, several server processes on one database): each
// hub's own presence changes go to the others as NOTIFY on `tongxing_presence`, and each hub
// keeps the others' presence per instance, listed to its own clients beside its own. An instance
// says it is alive every `aliveMs`; one not heard for three times that (it died without a word)
// is forgotten, its people leaving every topic. A hub that starts, or whose LISTEN connection
// came back (it missed what was said meanwhile), asks the others for their whole state.
import { sql } from 'drizzle-orm';
import type { Db } from '../db';
import type { Hub, HubLog, PresenceMetas } from './hub';
import { MAX_NOTIFY_BYTES, PRESENCE_CHANNEL } from './notify';

export const PRESENCE_ALIVE_MS = 5_000;

/** Every message names its instance and how often that one says it is alive (`every`, ms). */
type Relay = { hub: string; every: number } & (
	| { kind: 'diff'; topic: string; joins: PresenceMetas; leaves: PresenceMetas }
	| { kind: 'alive' | 'sync' | 'gone' }
);

function isMetas(value: unknown): value is PresenceMetas {
	if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
	return Object.values(value).every(
		(entry) =>
			!!entry &&
			typeof entry === 'object' &&
			Array.isArray((entry as { metas?: unknown }).metas) &&
			(entry as { metas: unknown[] }).metas.every(
				(m) =>
					!!m && typeof m === 'object' && typeof (m as { phx_ref?: unknown }).phx_ref === 'string'
			)
	);
}

function decode(text: string): Relay | null {
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch {
		return null;
	}
	if (!value || typeof value !== 'object') return null;
	const r = value as Record<string, unknown>;
	if (typeof r.hub !== 'string' || typeof r.every !== 'number' || !(r.every > 0)) return null;
	const from = { hub: r.hub, every: r.every };
	if (r.kind === 'alive' || r.kind === 'sync' || r.kind === 'gone')
		return { ...from, kind: r.kind };
	if (r.kind === 'diff' && typeof r.topic === 'string' && isMetas(r.joins) && isMetas(r.leaves)) {
		return { ...from, kind: 'diff', topic: r.topic, joins: r.joins, leaves: r.leaves };
	}
	return null;
}

/** A topic's presence as diffs that each fit a NOTIFY (one key per diff when it must). */
function chunks(hub: string, every: number, topic: string, joins: PresenceMetas): Relay[] {
	const out: Relay[] = [];
	let current: PresenceMetas = {};
	for (const [key, entry] of Object.entries(joins)) {
		const next = { ...current, [key]: entry };
		const text = JSON.stringify({ hub, every, kind: 'diff', topic, joins: next, leaves: {} });
		if (Buffer.byteLength(text) > MAX_NOTIFY_BYTES - 200 && Object.keys(current).length > 0) {
			out.push({ hub, every, kind: 'diff', topic, joins: current, leaves: {} });
			current = { [key]: entry };
		} else {
			current = next;
		}
	}
	if (Object.keys(current).length > 0)
		out.push({ hub, every, kind: 'diff', topic, joins: current, leaves: {} });
	return out;
}

export interface PresenceRelay {
	/** For the hub's `onPresence`: tells the other instances. */
	changed(topic: string, joins: PresenceMetas, leaves: PresenceMetas): void;
	/** For LISTEN on PRESENCE_CHANNEL. */
	heard(text: string): void;
	/** After (re)listening: ask every instance for its state. */
	resync(): void;
	/** Says goodbye (the others forget this instance's people at once) and stops the timer. */
	close(): Promise<void>;
}

export function presenceRelay(
	db: Db,
	hub: () => Hub,
	log: HubLog,
	aliveMs = PRESENCE_ALIVE_MS
): PresenceRelay {
	/** Per other instance: when it was last heard, and how often it says it is alive. */
	const seen = new Map<string, { at: number; every: number }>();
	// One NOTIFY after another, in order: a track must not overtake the untrack before it.
	let chain: Promise<void> = Promise.resolve();
	let closed = false;
	const send = (message: Relay): void => {
		if (closed) return;
		const text = JSON.stringify(message);
		if (Buffer.byteLength(text) > MAX_NOTIFY_BYTES) {
			log('warn', 'realtime presence too large to relay', { bytes: Buffer.byteLength(text) });
			return;
		}
		chain = chain
			.then(async () => {
				await db.execute(sql`select pg_notify(${PRESENCE_CHANNEL}, ${text})`);
			})
			.catch((err: unknown) =>
				log('warn', 'realtime presence relay failed', { error: String(err) })
			);
	};
	const sendState = (): void => {
		const id = hub().id;
		for (const { topic, joins } of hub().localPresence()) {
			for (const message of chunks(id, aliveMs, topic, joins)) send(message);
		}
	};
	const beat = setInterval(() => send({ hub: hub().id, every: aliveMs, kind: 'alive' }), aliveMs);
	beat.unref();
	// Checked at least once a second, against each instance's own beat.
	const timer = setInterval(
		() => {
			const now = Date.now();
			for (const [id, { at, every }] of seen) {
				if (now - at > 3 * every) {
					seen.delete(id);
					hub().forgetPresence(id);
					log('info', 'realtime instance silent: its presence is forgotten', { hub: id });
				}
			}
		},
		Math.min(aliveMs, 1_000)
	);
	timer.unref();

	return {
		changed(topic, joins, leaves) {
			send({ hub: hub().id, every: aliveMs, kind: 'diff', topic, joins, leaves });
		},
		heard(text) {
			const message = decode(text);
			if (!message) {
				log('warn', 'realtime presence notification ignored', { payload: text.slice(0, 80) });
				return;
			}
			if (message.hub === hub().id) return;
			const before = seen.get(message.hub);
			seen.set(message.hub, { at: Date.now(), every: message.every });
			switch (message.kind) {
				case 'diff':
					return hub().remotePresence(message.hub, message.topic, message.joins, message.leaves);
				case 'sync':
					return sendState();
				case 'gone':
					seen.delete(message.hub);
					return hub().forgetPresence(message.hub);
				case 'alive':
					// An instance this one never heard from (it started while our LISTEN was down).
					if (!before) send({ hub: hub().id, every: aliveMs, kind: 'sync' });
			}
		},
		resync() {
			send({ hub: hub().id, every: aliveMs, kind: 'sync' });
		},
		async close() {
			clearInterval(timer);
			clearInterval(beat);
			send({ hub: hub().id, every: aliveMs, kind: 'gone' });
			// Its channels closing next are not news: the others forget them all with this.
			closed = true;
			await chain;
		}
	};
}
