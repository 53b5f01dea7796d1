// My day kept live from the event's hints (issue 18). It shows no counters, only my own tasks
// and my place in their queues, so a hint is applied by reading those again (`fetchMine`, one
// small read of mine alone) only when it can have changed them: it names me (someone assigned,
// removed or promoted me), it counts a task I wait for (my place may move), it names one of my
// tasks without counts (edited or deleted), or it means "all". A gap or a reconnect: one read.
// Plain TypeScript (browser and Node).
import { FetchQueue } from './fetch-queue';
import { HintSequence } from './hint-sequence';
import { versionRange } from './hint-wire';

export interface MyTask {
	id: string;
	status: 'claimed' | 'waiting';
}

export interface LiveMyDayOptions<T extends MyTask, R extends { version: number; tasks: T[] }> {
	version: number;
	me: string;
	tasks: T[];
	fetchMine(): Promise<R>;
	onChange(read: R): void;
	gapWaitMs?: number;
	retryMs?: number;
}

const KINDS = new Set(['tasks', 'signups']);

export class LiveMyDay<T extends MyTask, R extends { version: number; tasks: T[] }> {
	/** How many reads the hints asked for (the benchmark of what My day costs). */
	reads = 0;
	#tasks: T[];
	readonly #sequence: HintSequence;
	readonly #fetches: FetchQueue;

	constructor(private readonly options: LiveMyDayOptions<T, R>) {
		this.#tasks = options.tasks;
		this.#sequence = new HintSequence(
			options.version,
			() => this.#fetches.want('all'),
			options.gapWaitMs
		);
		this.#fetches = new FetchQueue({
			run: async () => {
				this.reads++;
				const read = await options.fetchMine();
				this.#tasks = read.tasks;
				this.#sequence.covered(read.version);
				options.onChange(read);
			},
			retryMs: options.retryMs
		});
	}

	receive(payload: unknown): void {
		if (!payload || typeof payload !== 'object') return;
		const { kinds, ids, counts, version } = payload as Record<string, unknown>;
		const range = versionRange(version);
		if (this.#sequence.isOld(range)) return;
		this.#sequence.advance(range);
		if (!Array.isArray(kinds) || !kinds.some((k) => KINDS.has(k as string))) return;
		if (this.#concernsMe(Array.isArray(ids) ? ids : null, counts)) this.#fetches.want('all');
	}

	resync(): void {
		this.#fetches.want('all');
	}

	close(): void {
		this.#sequence.close();
		this.#fetches.close();
	}

	#concernsMe(ids: unknown[] | null, counts: unknown): boolean {
		if (ids === null || ids.includes(this.options.me)) return true;
		const counted = counts && typeof counts === 'object' ? Object.keys(counts) : [];
		const waiting = this.#tasks.filter((t) => t.status === 'waiting').map((t) => t.id);
		if (counted.some((id) => waiting.includes(id))) return true;
		return counted.length === 0 && this.#tasks.some((t) => ids.includes(t.id));
	}
}
