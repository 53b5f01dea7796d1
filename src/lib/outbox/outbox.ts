// The phone's outbox: commands made without a connection, kept (IndexedDB in the browser) until
// the server has answered them, then sent one by one in the order they were made. This file is
// the logic only — storage and sending are handed in — so that it is tested as it runs.

/** The commands that may wait on the phone; the server accepts each key once (server/outbox). */
export type OutboxKind =
	'check_in' | 'check_out' | 'incident' | 'hand_in' | 'hand_out' | 'announcement';

export type OutboxStatus = 'waiting' | 'sent' | 'refused';

export interface OutboxItem {
	/** The idempotency key the server records: one item, one key, however often it is sent. */
	key: string;
	/** Whose session made it: another person signed in on this phone never sends it. */
	userId: string;
	eventId: string;
	kind: OutboxKind;
	/** What the list shows beside the kind (a code, a member's name); never free text. */
	label: Record<string, string>;
	/** The form action, path and query (`/teams/…/checkin?/checkIn`). */
	action: string;
	/** The form's fields. Removed once sent: the phone keeps no more than the page showed. */
	fields: Record<string, string> | null;
	/** When it was saved, on the phone's clock (the wait sent is measured on the same clock). */
	savedAt: number;
	status: OutboxStatus;
	/** Why the server refused it, in the user's language. */
	reason?: string;
	/** When the server accepted or refused it, on the phone's clock. */
	doneAt?: number;
}

export interface OutboxStorage {
	all(): Promise<OutboxItem[]>;
	put(item: OutboxItem): Promise<void>;
	remove(key: string): Promise<void>;
}

/**
 * What became of one sending: accepted (`sent`), refused with the server's reason (`refused`),
 * or not reached — no connection, the server down or busy, the session gone — (`retry`): the
 * item waits and the items after it wait behind it, so that the order holds.
 */
export type SendOutcome =
	| { type: 'sent' }
	| { type: 'refused'; reason: string }
	| { type: 'retry'; why: 'offline' | 'busy' | 'signed-out' };

export type Sender = (item: OutboxItem, waitedMs: number) => Promise<SendOutcome>;

/** Finished items stay listed this long (so the volunteer sees "sent"), then go. */
export const KEEP_DONE_MS = 12 * 3600 * 1000;

export function byAge(a: OutboxItem, b: OutboxItem): number {
	return a.savedAt - b.savedAt || a.key.localeCompare(b.key);
}

export class Outbox {
	#storage: OutboxStorage;
	#send: Sender;
	#now: () => number;
	#flushing: Promise<SendOutcome | null> | null = null;

	constructor(storage: OutboxStorage, send: Sender, now: () => number = Date.now) {
		this.#storage = storage;
		this.#send = send;
		this.#now = now;
	}

	async items(): Promise<OutboxItem[]> {
		return (await this.#storage.all()).sort(byAge);
	}

	async add(
		item: Omit<OutboxItem, 'status' | 'savedAt'> & { savedAt?: number }
	): Promise<OutboxItem> {
		const saved: OutboxItem = { ...item, savedAt: item.savedAt ?? this.#now(), status: 'waiting' };
		await this.#storage.put(saved);
		return saved;
	}

	async dismiss(key: string): Promise<void> {
		await this.#storage.remove(key);
	}

	/**
	 * Sends the waiting items of `userId`, oldest first, until one cannot be sent (then the rest
	 * wait: order matters, a check-out must not overtake its check-in). One flush at a time in
	 * this page; other tabs may flush too, and the server's keys make that harmless. Returns
	 * the outcome that stopped it, or null when nothing was left waiting.
	 */
	flush(userId: string): Promise<SendOutcome | null> {
		this.#flushing ??= this.#flushOnce(userId).finally(() => (this.#flushing = null));
		return this.#flushing;
	}

	async #flushOnce(userId: string): Promise<SendOutcome | null> {
		const now = this.#now();
		for (const item of await this.items()) {
			if (
				item.status !== 'waiting' &&
				item.doneAt !== undefined &&
				now - item.doneAt > KEEP_DONE_MS
			) {
				await this.#storage.remove(item.key);
			}
		}
		const waiting = (await this.items()).filter(
			(i) => i.status === 'waiting' && i.userId === userId
		);
		for (const item of waiting) {
			const outcome = await this.#send(item, Math.max(0, this.#now() - item.savedAt));
			if (outcome.type === 'retry') return outcome;
			await this.#storage.put({
				...item,
				status: outcome.type,
				reason: outcome.type === 'refused' ? outcome.reason : undefined,
				// Sent: the server has it, the phone keeps only the line in the list. Refused: the
				// fields stay until dismissed, so what was typed is not lost with the refusal.
				fields: outcome.type === 'sent' ? null : item.fields,
				doneAt: this.#now()
			});
		}
		return null;
	}
}

/** An in-memory storage: for a browser without IndexedDB (the outbox then lasts the tab). */
export class MemoryStorage implements OutboxStorage {
	#items = new Map<string, OutboxItem>();
	async all(): Promise<OutboxItem[]> {
		return [...this.#items.values()].map((i) => ({ ...i }));
	}
	async put(item: OutboxItem): Promise<void> {
		this.#items.set(item.key, { ...item });
	}
	async remove(key: string): Promise<void> {
		this.#items.delete(key);
	}
}
