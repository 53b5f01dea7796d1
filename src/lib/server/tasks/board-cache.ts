// The shared part of an event's task board (its tasks with their counters and active sign-ups,
// and its groups), read once per event and topic version and reused for every viewer: at a
// sign-up opening hundreds of boards load the same event, and without this each load read every
// task and sign-up again (one query per viewer, not one per version).
//
// Correct across instances because the key is the version each request reads from the database
// first (`realtime_topic_versions`, bumped in the transaction of every change the board shows):
// an entry is served only for a version it is at least as new as, so after any commit, on any
// instance, the next load reads a newer version and misses. An entry may be newer than its key
// (a commit between the version read and the rows read): a page that starts from the key's
// version then applies that hint again, which changes nothing. Claimant display names are not
// versioned (a renamed person bumps no event), so an entry also expires after `maxAgeMs`.
//
// Bounded: one entry per event (the newest version read), at most `maxEvents` events, the least
// recently used dropped first. Kept per database handle (like ../db/reuse-built-queries.ts), not per process.
import type { Queryable } from '../db';

export interface BoardCacheOptions {
	maxEvents?: number;
	maxAgeMs?: number;
	now?: () => number;
}

export const BOARD_CACHE_MAX_EVENTS = 64;
export const BOARD_CACHE_MAX_AGE_MS = 10_000;

interface Entry<T> {
	version: number;
	at: number;
	value: Promise<T>;
}

export class BoardCache<T> {
	readonly #entries = new Map<string, Entry<T>>();
	readonly #maxEvents: number;
	readonly #maxAgeMs: number;
	readonly #now: () => number;
	#hits = 0;
	#loads = 0;

	constructor(options: BoardCacheOptions = {}) {
		this.#maxEvents = options.maxEvents ?? BOARD_CACHE_MAX_EVENTS;
		this.#maxAgeMs = options.maxAgeMs ?? BOARD_CACHE_MAX_AGE_MS;
		this.#now = options.now ?? Date.now;
		if (!(this.#maxEvents >= 1)) throw new RangeError('maxEvents must be at least 1');
	}

	/**
	 * The event's shared board at `version` or newer: the entry kept for it, or `load()` (run
	 * once however many viewers ask at the same time: they share its promise).
	 */
	get(eventId: string, version: number, load: () => Promise<T>): Promise<T> {
		const now = this.#now();
		const entry = this.#entries.get(eventId);
		this.#entries.delete(eventId);
		if (entry && entry.version >= version && now - entry.at < this.#maxAgeMs) {
			this.#entries.set(eventId, entry);
			this.#hits += 1;
			return entry.value;
		}
		this.#loads += 1;
		const value = load();
		const next: Entry<T> = { version, at: now, value };
		this.#entries.set(eventId, next);
		// A failed read is not kept: the next viewer tries again.
		value.catch(() => {
			if (this.#entries.get(eventId) === next) this.#entries.delete(eventId);
		});
		for (const oldest of this.#entries.keys()) {
			if (this.#entries.size <= this.#maxEvents) break;
			this.#entries.delete(oldest);
		}
		return value;
	}

	/** Reads served from an entry, reads of the database, and events kept (tests, bench). */
	stats(): { hits: number; loads: number; events: number } {
		return { hits: this.#hits, loads: this.#loads, events: this.#entries.size };
	}
}

/** One cache per database handle, made on first use. */
export function boardCachePerDb<T>(options?: BoardCacheOptions): (db: Queryable) => BoardCache<T> {
	const byDb = new WeakMap<Queryable, BoardCache<T>>();
	return (db) => {
		let cache = byDb.get(db);
		if (!cache) {
			cache = new BoardCache<T>(options);
			byDb.set(db, cache);
		}
		return cache;
	};
}
