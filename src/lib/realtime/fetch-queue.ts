// A live page's narrow fetches: at most one in flight, never cancelled; what is asked for
// meanwhile is folded into one follow-up (some ids, or 'all' for a resync), so a page keeps
// showing progress however busy the server is. A failed fetch is asked for again after
// `retryMs` (the network is not the server's fault). Plain TypeScript (browser and Node).

export type Wanted = Set<string> | 'all';

export interface FetchQueueOptions {
	/** `ids` null: everything (a resync). */
	run(ids: string[] | null): Promise<void>;
	onFailure?(error: unknown): void;
	retryMs?: number;
}

export class FetchQueue {
	#wanted: Wanted | null = null;
	#inFlight = false;
	#retryTimer: ReturnType<typeof setTimeout> | null = null;
	#closed = false;

	constructor(private readonly options: FetchQueueOptions) {}

	want(ids: readonly string[] | 'all'): void {
		if (this.#closed) return;
		if (ids === 'all' || this.#wanted === 'all') this.#wanted = 'all';
		else {
			if (ids.length === 0) return;
			this.#wanted ??= new Set();
			for (const id of ids) this.#wanted.add(id);
		}
		this.#next();
	}

	close(): void {
		this.#closed = true;
		if (this.#retryTimer) clearTimeout(this.#retryTimer);
		this.#retryTimer = null;
	}

	#next(): void {
		if (this.#inFlight || !this.#wanted || this.#closed || this.#retryTimer) return;
		const wanted = this.#wanted;
		this.#wanted = null;
		const ids = wanted === 'all' ? null : [...wanted];
		this.#inFlight = true;
		this.options
			.run(ids)
			.catch((error: unknown) => {
				this.options.onFailure?.(error);
				this.want(ids ?? 'all');
				this.#retryTimer = setTimeout(() => {
					this.#retryTimer = null;
					this.#next();
				}, this.options.retryMs ?? 2_000);
			})
			.finally(() => {
				this.#inFlight = false;
				this.#next();
			});
	}
}
