// The outbox as the pages see it: the items of this phone (reactive), whether the browser says
// it is on line, and the triggers that send — the connection coming back, the page opening,
// and a retry every few seconds while anything waits (a server that was down says nothing).
import { createContext } from 'svelte';
import { online } from 'svelte/reactivity/window';
import { deserialize } from '$app/forms';
import * as m from '$lib/paraglide/messages';
import { IdbStorage } from './idb';
import { MemoryStorage, Outbox, type OutboxItem, type OutboxKind } from './outbox';
import { bodyOf, outcomeOf, type ActionAnswer } from './send';

const RETRY_MS = 5_000;

async function send(item: OutboxItem, waitedMs: number) {
	let answer: ActionAnswer;
	try {
		const response = await fetch(item.action, {
			method: 'POST',
			body: bodyOf(item, waitedMs),
			headers: { accept: 'application/json', 'x-sveltekit-action': 'true' },
			cache: 'no-store'
		});
		const text = await response.text();
		const parsed = (() => {
			try {
				return deserialize(text) as ActionAnswer;
			} catch {
				// Not an ActionResult (a proxy's error page): the server was not reached as itself.
				return { type: 'error' as const, status: response.status || 502 };
			}
		})();
		answer = parsed.type === 'error' ? { ...parsed, status: response.status } : parsed;
	} catch (err) {
		answer = { type: 'error', error: err };
	}
	return outcomeOf(answer, m.error_invalid());
}

export class OutboxState {
	items: OutboxItem[] = $state([]);
	#outbox: Outbox;
	#userId: string;
	#timer: ReturnType<typeof setTimeout> | undefined;

	constructor(userId: string) {
		this.#userId = userId;
		const storage = typeof indexedDB === 'undefined' ? new MemoryStorage() : new IdbStorage();
		this.#outbox = new Outbox(storage, send);
	}

	/** Starts listening and sends what waits; returns the stop function for an `$effect`. */
	start(): () => void {
		const back = () => void this.flush();
		addEventListener('online', back);
		void this.flush();
		return () => {
			removeEventListener('online', back);
			clearTimeout(this.#timer);
		};
	}

	get isOnline(): boolean {
		return online.current !== false;
	}

	async refresh(): Promise<void> {
		this.items = await this.#outbox.items();
	}

	forEvent(eventId: string): OutboxItem[] {
		return this.items.filter((i) => i.eventId === eventId);
	}

	/** Keeps a command the network did not take; it is sent as soon as it can be. */
	async add(item: {
		key: string;
		eventId: string;
		kind: OutboxKind;
		label: Record<string, string>;
		action: string;
		fields: Record<string, string>;
		savedAt: number;
	}): Promise<void> {
		await this.#outbox.add({ ...item, userId: this.#userId });
		await this.refresh();
		this.#schedule();
	}

	async dismiss(key: string): Promise<void> {
		await this.#outbox.dismiss(key);
		await this.refresh();
	}

	async flush(): Promise<void> {
		clearTimeout(this.#timer);
		const run = () => this.#outbox.flush(this.#userId);
		// One tab at a time where the browser can say so; the server's keys cover the rest.
		const stopped = navigator.locks
			? await navigator.locks.request('tongxing-outbox', run)
			: await run();
		await this.refresh();
		if (stopped) this.#schedule();
	}

	#schedule(): void {
		clearTimeout(this.#timer);
		this.#timer = setTimeout(() => void this.flush(), RETRY_MS);
	}

	/** Items of the signed-in person waiting to be sent. */
	get waitingCount(): number {
		return this.items.filter((i) => i.status === 'waiting' && i.userId === this.#userId).length;
	}

	isMine(item: OutboxItem): boolean {
		return item.userId === this.#userId;
	}
}

export const [getOutbox, setOutbox, hasOutbox] = createContext<OutboxState>();
