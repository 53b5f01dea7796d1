// A few seconds' memory of validated sessions, so that a page and its data requests do not each
// read the session and its user from the database. Keyed by the session id (the token's
// SHA-256), never the token. Correct across instances because every change that must end or
// alter a session on the next request announces itself on SESSION_CHANNEL inside its own
// transaction, and every instance's cache LISTENs there and drops what it names:
//
// - sign-out, a new sign-in, account deletion, a password change or reset: `s:<id>` / `u:<user>`
//   (session.ts, next to the delete);
// - a changed profile (`locals.user` holds the name and phone): `u:<user>`;
// - expiry needs no message: a hit is used only before `expiresAt` and outside the renewal
//   window (a renewal goes to the database, which pushes the date back);
// - removal from a team needs none either: memberships are never cached, the domain reads them.
//
// What remains is the NOTIFY's own delivery: another instance forgets a session a moment (well
// under a millisecond when idle, more when its event loop is busy) after the commit, so a
// request sent there in that moment with the old cookie is still served; the instance that made
// the change forgets at once (`forgetLocally`), and a browser that signed out sends no cookie.
//
// A validation that started before an invalidation is not stored (a generation counter), so a
// read racing a sign-out cannot put the old session back. While the LISTEN connection is being
// re-established notifications can be lost: on every (re)connect the cache empties, so at worst
// an entry outlives its end by the TTL. The cache is enabled only where LISTEN is known to work
// (self-mode realtime, whose hub relies on it too); SESSION_CACHE_MS=0 turns it off.
import type { Db, DbHandle, Unlisten } from '../db';

/** NOTIFY channel: `s:<session id>`, `u:<user id>` or `*`. */
export const SESSION_CHANNEL = 'tongxing_sessions';

export interface CachedSession {
	session: { id: string; userId: string; expiresAt: Date };
	user: { id: string; email: string; displayName: string; phone: string | null };
}

interface Entry extends CachedSession {
	until: number;
}

export class SessionCache {
	readonly #entries = new Map<string, Entry>();
	#generation = 0;

	constructor(
		readonly ttlMs: number,
		/** Past this many sessions it starts again empty (a flood of sign-ins cannot grow it). */
		readonly maxEntries = 50_000
	) {}

	get size(): number {
		return this.#entries.size;
	}

	/** Read before a validation starts; `set` refuses its result if anything was forgotten since. */
	get generation(): number {
		return this.#generation;
	}

	/** A copy of the entry (callers may change `expiresAt`), or undefined when absent or stale. */
	get(id: string, now: number): CachedSession | undefined {
		const entry = this.#entries.get(id);
		if (!entry) return undefined;
		if (now >= entry.until) {
			this.#entries.delete(id);
			return undefined;
		}
		return { session: { ...entry.session }, user: { ...entry.user } };
	}

	set(value: CachedSession, generation: number, now: number): void {
		if (generation !== this.#generation) return;
		if (this.#entries.size >= this.maxEntries) this.#entries.clear();
		this.#entries.set(value.session.id, {
			session: { ...value.session },
			user: { ...value.user },
			until: now + this.ttlMs
		});
	}

	/** What a SESSION_CHANNEL payload names, gone. */
	forget(payload: string): void {
		this.#generation++;
		if (payload.startsWith('s:')) {
			this.#entries.delete(payload.slice(2));
		} else if (payload.startsWith('u:')) {
			const userId = payload.slice(2);
			for (const [id, entry] of this.#entries) {
				if (entry.session.userId === userId) this.#entries.delete(id);
			}
		} else {
			this.#entries.clear();
		}
	}
}

// One cache per open database, on globalThis like the handle itself (Vite's module reloading).
const KEY = Symbol.for('tongxing.session-cache');
type Slots = { [KEY]?: Map<Db, SessionCache> };
const slots = globalThis as typeof globalThis & Slots;
const caches = (slots[KEY] ??= new Map());

export function sessionCacheOf(db: Db): SessionCache | undefined {
	return caches.get(db);
}

/**
 * Starts caching validated sessions of `handle`'s database, once its LISTEN is in place (from
 * then on no invalidation can be missed). Returns the way to stop.
 */
export async function startSessionCache(handle: DbHandle, ttlMs: number): Promise<Unlisten> {
	const cache = new SessionCache(ttlMs);
	const unlisten = await handle.listen(
		SESSION_CHANNEL,
		(payload) => cache.forget(payload),
		() => cache.forget('*')
	);
	caches.set(handle.db, cache);
	return async () => {
		caches.delete(handle.db);
		await unlisten();
	};
}

/**
 * Drops what `payload` names from this process's caches at once, without waiting for the
 * NOTIFY to come back (and again when it does: a read racing the change is dropped then).
 */
export function forgetLocally(payload: string): void {
	for (const cache of caches.values()) cache.forget(payload);
}
