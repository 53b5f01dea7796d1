// The one typed map of what the server publishes. Channel messages are hints, not data: which
// kinds of a topic changed, at most 50 ids, the new counters of each task touched, and the
// topic's version. Never names, contacts or free text: a browser applies the counts where it
// shows them (src/lib/realtime/live-board.ts) and fetches anything else through the server's
// permission checks.
// Relative, not $lib: this directory is plain Node (the endpoint runs outside SvelteKit too).
import {
	isHintCounts,
	versionRange,
	type HintCounts,
	type HintVersion
} from '../../realtime/hint-wire';

export { isTaskCounts, taskCounts, versionRange } from '../../realtime/hint-wire';
export type {
	AttendanceCounts,
	HintCounts,
	HintVersion,
	TaskCounts
} from '../../realtime/hint-wire';

export const HINT_EVENT = 'hint';

export const HINT_KINDS = {
	team: ['members', 'invites', 'events'],
	event: [
		'event',
		'groups',
		'agenda',
		'checklist',
		'announcements',
		'tasks',
		'signups',
		'attendance',
		'incidents',
		'contacts',
		'donations',
		'funding'
	],
	// Staff only (captains and the event's group leaders): incidents must not reach volunteers.
	'event-staff': ['incidents']
} as const;

export type TopicKind = keyof typeof HINT_KINDS;
export type HintKind<T extends TopicKind = TopicKind> = (typeof HINT_KINDS)[T][number];
export type Topic = `team:${string}` | `event:${string}` | `event-staff:${string}`;

export interface Hint {
	kinds: string[];
	/** Absent: "all of these kinds". */
	ids?: string[];
	/**
	 * Per task id: its counters after the change; per group id (and the event's own id for the
	 * headline): the attendance board's numbers. A delta the page applies as it is.
	 */
	counts?: Record<string, HintCounts>;
	version?: HintVersion;
}

/** The only fields a hint may carry (checked where hints are made and fanned out). */
export const HINT_FIELDS = ['kinds', 'ids', 'counts', 'version'] as const;

export const MAX_HINT_IDS = 50;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export class HintError extends Error {
	override name = 'HintError';
}

export function topicKind(topic: string): TopicKind {
	const [kind, id] = topic.split(':');
	if ((kind === 'team' || kind === 'event' || kind === 'event-staff') && id && UUID.test(id)) {
		return kind;
	}
	throw new HintError(`not a topic: ${topic}`);
}

/**
 * Builds a hint and checks it against the map: kinds of the topic only, uuids only, counts
 * per uuid as whole numbers of a known shape (a task's, a group's attendance, the headline). More than 50 ids (or counted tasks) become "all" (keeps
 * pg_notify far below its 8,000-byte limit, which would otherwise abort the user's write).
 * The version is added by `publish`, in the database.
 */
export function makeHint(
	topic: Topic,
	kinds: readonly string[],
	ids?: readonly string[],
	counts?: Record<string, HintCounts>
): Hint {
	const allowed: readonly string[] = HINT_KINDS[topicKind(topic)];
	if (kinds.length === 0) throw new HintError('a hint names at least one kind');
	for (const kind of kinds) {
		if (!allowed.includes(kind)) throw new HintError(`kind ${kind} is not published on ${topic}`);
	}
	const hint: Hint = { kinds: [...new Set(kinds)] };
	if (ids) {
		for (const id of ids) if (!UUID.test(id)) throw new HintError('hint ids are uuids');
		const unique = [...new Set(ids)];
		if (unique.length <= MAX_HINT_IDS) hint.ids = unique;
	}
	if (counts) {
		const entries = Object.entries(counts);
		for (const [key, value] of entries) {
			if (!UUID.test(key) || !isHintCounts(value)) {
				throw new HintError('hint counts are an id and its whole-number counters');
			}
		}
		if (entries.length <= MAX_HINT_IDS) {
			hint.counts = Object.fromEntries(entries.map(([key, value]) => [key, { ...value }]));
		}
	}
	return hint;
}

/** Is this payload a hint the map allows? Checked again where hints are fanned out. */
export function isHint(value: unknown): value is Hint {
	if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
	const { kinds, ids, counts, version, ...rest } = value as Record<string, unknown>;
	if (Object.keys(rest).length > 0) return false;
	if (version !== undefined && !versionRange(version)) return false;
	if (!Array.isArray(kinds) || !kinds.every((k) => typeof k === 'string')) return false;
	if (ids !== undefined && (!Array.isArray(ids) || ids.length > MAX_HINT_IDS)) return false;
	if (ids !== undefined && !ids.every((id) => typeof id === 'string' && UUID.test(id)))
		return false;
	if (counts !== undefined) {
		if (!counts || typeof counts !== 'object' || Array.isArray(counts)) return false;
		const entries = Object.entries(counts);
		if (entries.length > MAX_HINT_IDS) return false;
		if (!entries.every(([key, n]) => UUID.test(key) && isHintCounts(n))) return false;
	}
	return true;
}

/**
 * `b` came after `a` (hints are merged in the order they committed): the union of kinds and
 * ids, each task's later counters, and the versions from `a`'s first to `b`'s last.
 */
export function mergeHints(a: Hint, b: Hint): Hint {
	const merged: Hint = { kinds: [...new Set([...a.kinds, ...b.kinds])] };
	if (a.ids && b.ids) {
		const ids = [...new Set([...a.ids, ...b.ids])];
		if (ids.length <= MAX_HINT_IDS) merged.ids = ids;
	}
	if (a.counts || b.counts) {
		const counts = { ...a.counts, ...b.counts };
		// Counters of more tasks than ids would fit: leave them out, the page fetches "all".
		if (Object.keys(counts).length <= MAX_HINT_IDS) merged.counts = counts;
	}
	const first = versionRange(a.version);
	const last = versionRange(b.version);
	if (first && last) merged.version = [first[0], last[1]];
	else if (first ?? last) merged.version = (first ?? last)!;
	return merged;
}

/**
 * Per topic: at most `HINT_BURST` hints at once, then one merged hint per `HINT_WINDOW_MS`,
 * widened to at most `HINT_MAX_WINDOW_MS` while a storm keeps merging.
 */
export const HINT_WINDOW_MS = 50;
export const HINT_BURST = 3;
export const HINT_MAX_WINDOW_MS = 100;

type Send = (topic: string, event: string, payload: Hint) => void;

interface TopicState {
	/** Hints that may still go out at once. */
	tokens: number;
	/** When the bucket last gained a token (or was full). */
	since: number;
	/** One token per this many ms: `windowMs`, widened while a storm keeps merging. */
	window: number;
	pending: Hint | null;
	/** How many hints `pending` holds. */
	merged: number;
	timer: ReturnType<typeof setTimeout> | null;
}

/**
 * Per topic, a token bucket: a hint goes out at once while the topic has a token left (`burst`
 * of them, one more every `windowMs`); beyond that, hints are merged into one (the union of kinds
 * and ids) sent as soon as the next token comes. With `burst` 1 this is "the first hint of a
 * burst at once, the rest of the window merged"; a larger `burst` lets a steady stream near the
 * cap (20 claims/s on one event, one every 50 ms) through without waiting, where a window
 * re-opened after each send would hold every hint back by up to `windowMs`. Either way a topic
 * gets at most `burst` + one message per `windowMs` over time.
 *
 * With `maxWindowMs` above `windowMs`, a storm widens its topic's window: each merged message
 * that held more than `burst` hints doubles the wait for the next token, up to `maxWindowMs`
 * (a few hints bunched behind a busy moment of the server do not), and a
 * quiet window (nothing was waiting when a token came) resets it. A steady stream within the
 * cap never merges and keeps `windowMs`; a sign-up opening (hundreds of claims a second on one
 * event) sends its watchers fewer, fuller messages, where every message costs the server one
 * socket write per watcher.
 */
export class HintMerger {
	readonly #topics = new Map<string, TopicState>();
	readonly #maxWindowMs: number;

	constructor(
		private readonly send: Send,
		private readonly windowMs = 50,
		private readonly burst = 1,
		maxWindowMs = windowMs
	) {
		if (!(burst >= 1)) throw new RangeError('burst must be at least 1');
		if (!(maxWindowMs >= windowMs)) throw new RangeError('maxWindowMs must be at least windowMs');
		this.#maxWindowMs = maxWindowMs;
	}

	push(topic: string, hint: Hint): void {
		const now = Date.now();
		let state = this.#topics.get(topic);
		if (!state) {
			state = {
				tokens: this.burst,
				since: now,
				window: this.windowMs,
				pending: null,
				merged: 0,
				timer: null
			};
			this.#topics.set(topic, state);
		}
		this.#refill(state, now);
		if (!state.pending && state.tokens >= 1) {
			state.tokens -= 1;
			this.send(topic, HINT_EVENT, hint);
		} else {
			state.pending = state.pending ? mergeHints(state.pending, hint) : hint;
			state.merged += 1;
		}
		this.#arm(topic, state, now);
	}

	#refill(state: TopicState, now: number): void {
		if (state.tokens >= this.burst) {
			state.since = now;
			return;
		}
		const earned = Math.floor((now - state.since) / state.window);
		if (earned <= 0) return;
		state.tokens = Math.min(this.burst, state.tokens + earned);
		state.since = state.tokens >= this.burst ? now : state.since + earned * state.window;
	}

	/** One timer per busy topic: it sends what is pending and forgets the topic once refilled. */
	#arm(topic: string, state: TopicState, now: number): void {
		if (state.timer || (!state.pending && state.tokens >= this.burst)) return;
		const timer = setTimeout(
			() => {
				state.timer = null;
				const at = Date.now();
				this.#refill(state, at);
				if (state.pending && state.tokens >= 1) {
					const pending = state.pending;
					// A storm, not a few hints bunched behind a busy moment: more than a burst's worth.
					const widen = state.merged > this.burst;
					state.pending = null;
					state.merged = 0;
					state.tokens -= 1;
					this.send(topic, HINT_EVENT, pending);
					if (widen) state.window = Math.min(this.#maxWindowMs, state.window * 2);
				} else if (!state.pending) {
					state.window = this.windowMs;
				}
				if (state.pending || state.tokens < this.burst) this.#arm(topic, state, at);
				else if (this.#topics.get(topic) === state) this.#topics.delete(topic);
			},
			Math.max(0, state.since + state.window - now)
		);
		timer.unref?.();
		state.timer = timer;
	}

	close(): void {
		for (const { timer } of this.#topics.values()) if (timer) clearTimeout(timer);
		this.#topics.clear();
	}
}
