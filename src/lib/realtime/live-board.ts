// A live board: cards with counters that follow the hints of their event without reloading
// the page. Plain TypeScript, no Svelte or SvelteKit: the task board, the overview's counts,
// My day and the attendance board use it in the browser, and the benchmark's simulated phones
// run this very module in Node (bench/opening).
//
// - A hint's counts are applied at once, per task, newest version first wins (a task's hints
//   are numbered in the order they committed, so an older one never overwrites a newer one).
// - What a delta cannot express (a new, edited or deleted task; my own placement changed by
//   someone else; names of the claimants) is fetched for those cards only (`fetchCards(ids)`).
// - A skipped version that does not arrive within `gapWaitMs`, a reconnect or a hint that
//   means "all" makes one resync (`fetchCards(null)`).
// - At most one fetch is in flight and it is never cancelled: what is asked for meanwhile is
//   folded into one follow-up, so the board shows progress however busy the server is.
import { FetchQueue } from './fetch-queue';
import { HintSequence } from './hint-sequence';
import { isTaskCounts, versionRange, type TaskCounts } from './hint-wire';

export interface CountedCard {
	id: string;
	taken: number;
	capacity: number;
	waiting: number;
}

export interface BoardSnapshot<C extends CountedCard> {
	/** The topic's version read before the cards (the cards are at least this new). */
	version: number;
	cards: C[];
}

export interface LiveBoardOptions<C extends CountedCard> {
	version: number;
	cards: C[];
	/** The viewer's user id: a hint naming it changed my placement. */
	me?: string;
	/** `ids` null: every card (a resync). Cards asked for and not returned are gone. */
	fetchCards(ids: string[] | null): Promise<BoardSnapshot<C>>;
	/** Called after every change, with the cards in their first-seen order. */
	onChange?(cards: C[]): void;
	/** How long a skipped version may take to arrive before the board resyncs. */
	gapWaitMs?: number;
	/**
	 * Cards whose counts moved fetch what counts cannot say (the claimant names) once the board
	 * has been quiet this long (plus up to `detailsJitterMs`, so a room of phones does not ask
	 * at one instant), and at the latest `detailsMaxWaitMs` after the first change: during a
	 * rush the counts are live and the names follow, once per phone, not once per claim.
	 */
	detailsQuietMs?: number;
	detailsJitterMs?: number;
	detailsMaxWaitMs?: number;
	/** The share of `detailsMaxWaitMs` each round's longest wait may be shortened by (0.5). */
	detailsMaxWaitSpread?: number;
	/** Random source for the jitter (the benchmark seeds it). */
	random?: () => number;
	/** Wait before retrying a fetch that failed (the network is not the server's fault). */
	retryMs?: number;
}

export interface LiveBoardStats {
	hints: number;
	duplicates: number;
	applied: number;
	gaps: number;
	resyncs: number;
	cardFetches: number;
	failures: number;
}

const BOARD_KINDS = new Set(['tasks', 'signups', 'groups']);

export class LiveBoard<C extends CountedCard> {
	readonly stats: LiveBoardStats = {
		hints: 0,
		duplicates: 0,
		applied: 0,
		gaps: 0,
		resyncs: 0,
		cardFetches: 0,
		failures: 0
	};
	readonly #options: LiveBoardOptions<C>;
	readonly #cards = new Map<string, C>();
	/** Per card, the version its counts come from. */
	readonly #cardVersion = new Map<string, number>();
	readonly #sequence: HintSequence;
	readonly #fetches: FetchQueue;
	#stale = new Set<string>();
	#detailsTimer: ReturnType<typeof setTimeout> | null = null;
	/** When the names of the moved cards are fetched at the latest (this round). */
	#latestAt = 0;
	#closed = false;

	constructor(options: LiveBoardOptions<C>) {
		this.#options = options;
		this.#sequence = new HintSequence(
			options.version,
			() => {
				this.stats.gaps++;
				this.#want('all');
			},
			options.gapWaitMs
		);
		this.#fetches = new FetchQueue({
			run: (ids) => this.#fetch(ids),
			onFailure: () => this.stats.failures++,
			retryMs: options.retryMs
		});
		for (const card of options.cards) {
			this.#cards.set(card.id, card);
			this.#cardVersion.set(card.id, options.version);
		}
	}

	/** Every hint up to this version is shown (or was covered by a fetch). */
	get version(): number {
		return this.#sequence.version;
	}

	get cards(): C[] {
		return [...this.#cards.values()];
	}

	card(id: string): C | undefined {
		return this.#cards.get(id);
	}

	/** One message of the topic, as it came off the channel. Anything malformed is ignored. */
	receive(payload: unknown): void {
		if (this.#closed || !payload || typeof payload !== 'object') return;
		const { kinds, ids, counts, version } = payload as Record<string, unknown>;
		if (!Array.isArray(kinds) || !kinds.some((k) => BOARD_KINDS.has(k as string))) {
			this.#sequence.advance(versionRange(version));
			return;
		}
		this.stats.hints++;
		const range = versionRange(version);
		if (this.#sequence.isOld(range)) {
			this.stats.duplicates++;
			return;
		}
		const last = range?.[1] ?? this.version;
		const idList = Array.isArray(ids)
			? ids.filter((id): id is string => typeof id === 'string')
			: null;
		const counted = new Map<string, TaskCounts>();
		if (counts && typeof counts === 'object') {
			for (const [id, value] of Object.entries(counts))
				if (isTaskCounts(value)) counted.set(id, value);
		}
		let changed = false;
		// Cards this hint is news for: not already at its version (my own answer applied it).
		const moved: string[] = [];
		for (const [id, value] of counted) {
			if (!this.#cards.has(id)) {
				this.#want([id]);
				continue;
			}
			if (range && (this.#cardVersion.get(id) ?? 0) >= last) continue;
			changed = this.#setCounts(id, value, last) || changed;
			this.#stale.add(id);
			moved.push(id);
		}
		if (kinds.includes('groups') || idList === null) {
			this.#want('all');
		} else if (counted.size === 0) {
			// A task created, edited or deleted: those cards (ids the server does not know as
			// this event's tasks come back as nothing).
			this.#want(idList);
		} else if (this.#options.me && idList.includes(this.#options.me) && moved.length > 0) {
			// Someone else moved my placement (assigned, removed, promoted): my cards. My own
			// claim's hint finds its card at its version already and fetches nothing.
			this.#want(moved);
		}
		if (changed) this.#changed();
		this.#sequence.advance(range);
		this.#armDetails();
	}

	/**
	 * My own claim or withdrawal, from the action's answer: its counts and version, and what it
	 * changed on my card. The hint of the same change then finds nothing new.
	 */
	applyOwn(id: string, counts: TaskCounts, version: number, patch: Partial<C> = {}): void {
		const card = this.#cards.get(id);
		if (!card || this.#closed) return;
		const newer = (this.#cardVersion.get(id) ?? 0) < version;
		const next = { ...card, ...patch };
		if (newer) {
			next.taken = counts.taken;
			next.capacity = counts.capacity;
			next.waiting = counts.waiting;
			this.#cardVersion.set(id, version);
		}
		this.#cards.set(id, next);
		this.#stale.add(id);
		this.#changed();
		this.#armDetails();
	}

	/** After a reconnect: messages sent meanwhile are not replayed. */
	resync(): void {
		this.#want('all');
	}

	close(): void {
		this.#closed = true;
		this.#sequence.close();
		this.#fetches.close();
		if (this.#detailsTimer) clearTimeout(this.#detailsTimer);
	}

	#setCounts(id: string, value: TaskCounts, version: number): boolean {
		const card = this.#cards.get(id)!;
		this.#cardVersion.set(id, version);
		this.stats.applied++;
		if (
			card.taken === value.taken &&
			card.capacity === value.capacity &&
			card.waiting === value.waiting
		) {
			return false;
		}
		this.#cards.set(id, {
			...card,
			taken: value.taken,
			capacity: value.capacity,
			waiting: value.waiting
		});
		return true;
	}

	#want(ids: readonly string[] | 'all'): void {
		if (!this.#closed) this.#fetches.want(ids);
	}

	async #fetch(ids: string[] | null): Promise<void> {
		if (ids) for (const id of ids) this.#stale.delete(id);
		else this.#stale.clear();
		if (ids) this.stats.cardFetches++;
		else this.stats.resyncs++;
		this.#merge(ids, await this.#options.fetchCards(ids));
	}

	#merge(ids: string[] | null, snapshot: BoardSnapshot<C>): void {
		if (this.#closed) return;
		const returned = new Set<string>();
		for (const card of snapshot.cards) {
			returned.add(card.id);
			const mine = this.#cards.get(card.id);
			const seen = this.#cardVersion.get(card.id) ?? 0;
			if (mine && seen > snapshot.version) {
				// A hint newer than this read already gave the counts: keep them.
				this.#cards.set(card.id, {
					...card,
					taken: mine.taken,
					capacity: mine.capacity,
					waiting: mine.waiting
				});
			} else {
				this.#cards.set(card.id, card);
				this.#cardVersion.set(card.id, snapshot.version);
			}
		}
		for (const id of ids ?? [...this.#cards.keys()]) {
			if (!returned.has(id)) {
				this.#cards.delete(id);
				this.#cardVersion.delete(id);
			}
		}
		if (ids === null) this.#sequence.covered(snapshot.version);
		this.#changed();
	}

	/** Claimant names follow when the board is quiet, for the cards whose counts moved. */
	#armDetails(): void {
		if (this.#stale.size === 0 || this.#closed) return;
		const now = Date.now();
		const random = this.#options.random ?? Math.random;
		if (!this.#detailsTimer) {
			// The longest wait, drawn once per round between half and all of `detailsMaxWaitMs`:
			// a room of phones that first moved together at the opening must not all ask at the
			// same instant 20 s later, and again 20 s after that.
			const longest = this.#options.detailsMaxWaitMs ?? 20_000;
			this.#latestAt = now + longest * (1 - (this.#options.detailsMaxWaitSpread ?? 0.5) * random());
		} else clearTimeout(this.#detailsTimer);
		const quiet = this.#options.detailsQuietMs ?? 2_000;
		const jitter = (this.#options.detailsJitterMs ?? 2_000) * random();
		const wait = Math.max(0, Math.min(now + quiet + jitter, this.#latestAt) - now);
		this.#detailsTimer = setTimeout(() => {
			this.#detailsTimer = null;
			const ids = [...this.#stale].filter((id) => this.#cards.has(id));
			this.#stale.clear();
			this.#want(ids);
		}, wait);
	}

	#changed(): void {
		this.#options.onChange?.(this.cards);
	}
}
