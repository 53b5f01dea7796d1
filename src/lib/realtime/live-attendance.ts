// The attendance board (and the wall monitor) kept live from the event's hints without
// reloading the page. Plain TypeScript, no Svelte or SvelteKit.
//
// - A check-in's or check-out's hint carries the board's new numbers for its session (per group
//   present of expected, the headline under the event's id): shown at once, newest version wins.
// - The person it names (their row: arrived at, left, late, where they show) is fetched alone
//   (`fetchPeople(ids)`), never the page.
// - A hint that cannot be applied (settings changed, groups changed, more groups than a hint
//   holds, hints of both sessions merged on their way), a version gap that stays open, or a
//   reconnect: one resync of the board alone (`fetchBoard()`).
// - One fetch at a time, never cancelled; what is asked for meanwhile folds into one follow-up.
import {
	orderPeople,
	type BoardGroup,
	type BoardPerson,
	type BoardTotals,
	type PlacedPerson
} from '../attendance-board';
import { FetchQueue } from './fetch-queue';
import { HintSequence } from './hint-sequence';
import {
	isAttendanceTotalsCounts,
	isGroupAttendanceCounts,
	versionRange,
	type AttendanceTotalsCounts,
	type GroupAttendanceCounts
} from './hint-wire';

export interface UnplacedMember {
	userId: string;
	displayName: string;
}

/** What the page shows of the board and keeps live. */
export interface AttendanceView {
	/** The topic's version read before the rows. */
	version: number;
	session: 'day' | 'meeting';
	groups: BoardGroup[];
	others: BoardPerson[];
	unplaced: UnplacedMember[];
	totals: BoardTotals;
}

export interface LiveAttendanceOptions {
	eventId: string;
	view: AttendanceView;
	fetchPeople(ids: string[]): Promise<{ version: number; people: PlacedPerson[] }>;
	fetchBoard(): Promise<AttendanceView>;
	onChange?(view: AttendanceView): void;
	gapWaitMs?: number;
	retryMs?: number;
}

export interface LiveAttendanceStats {
	hints: number;
	duplicates: number;
	applied: number;
	peopleFetches: number;
	resyncs: number;
	gaps: number;
	failures: number;
}

const KINDS = new Set(['attendance', 'groups']);

export class LiveAttendance {
	readonly stats: LiveAttendanceStats = {
		hints: 0,
		duplicates: 0,
		applied: 0,
		peopleFetches: 0,
		resyncs: 0,
		gaps: 0,
		failures: 0
	};
	readonly #options: LiveAttendanceOptions;
	readonly #sequence: HintSequence;
	readonly #fetches: FetchQueue;
	#view: AttendanceView;
	/** The version the numbers shown come from. */
	#countsVersion: number;
	#closed = false;

	constructor(options: LiveAttendanceOptions) {
		this.#options = options;
		this.#view = options.view;
		this.#countsVersion = options.view.version;
		this.#sequence = new HintSequence(
			options.view.version,
			() => {
				this.stats.gaps++;
				this.#fetches.want('all');
			},
			options.gapWaitMs
		);
		this.#fetches = new FetchQueue({
			run: (ids) => this.#fetch(ids),
			onFailure: () => this.stats.failures++,
			retryMs: options.retryMs
		});
	}

	get view(): AttendanceView {
		return this.#view;
	}

	get version(): number {
		return this.#sequence.version;
	}

	/** One message of the topic, as it came off the channel. Anything malformed is ignored. */
	receive(payload: unknown): void {
		if (this.#closed || !payload || typeof payload !== 'object') return;
		const { kinds, ids, counts, version } = payload as Record<string, unknown>;
		const range = versionRange(version);
		if (!Array.isArray(kinds) || !kinds.some((k) => KINDS.has(k as string))) {
			this.#sequence.advance(range);
			return;
		}
		this.stats.hints++;
		if (this.#sequence.isOld(range)) {
			this.stats.duplicates++;
			return;
		}
		this.#sequence.advance(range);
		const idList = Array.isArray(ids)
			? ids.filter((id): id is string => typeof id === 'string')
			: null;
		if (kinds.includes('groups') || idList === null) {
			this.#fetches.want('all');
			return;
		}
		const meeting = this.#view.session === 'meeting' ? 1 : 0;
		const mine: [string, GroupAttendanceCounts | AttendanceTotalsCounts][] = [];
		let others = 0;
		for (const [id, value] of Object.entries(counts && typeof counts === 'object' ? counts : {})) {
			if (!isGroupAttendanceCounts(value) && !isAttendanceTotalsCounts(value)) continue;
			if (value.meeting === meeting) mine.push([id, value]);
			else others++;
		}
		const isMerged = range !== null && range[0] < range[1];
		if ((mine.length === 0 && others === 0) || (others > 0 && isMerged)) {
			// No numbers (more groups than a hint holds), or a merged hint where the other
			// session's numbers may have replaced this one's: read the board again.
			this.#fetches.want('all');
			return;
		}
		// A hint of the other session only: nothing of this board changed.
		if (mine.length === 0) return;
		this.#applyCounts(mine, range?.[1] ?? this.#sequence.version);
		this.#fetches.want(idList);
	}

	/** After a reconnect (hints sent meanwhile are lost), or one's own mark: the board again. */
	resync(): void {
		this.#fetches.want('all');
	}

	close(): void {
		this.#closed = true;
		this.#sequence.close();
		this.#fetches.close();
	}

	#applyCounts(
		entries: [string, GroupAttendanceCounts | AttendanceTotalsCounts][],
		version: number
	): void {
		if (version <= this.#countsVersion) return;
		const byGroup = new Map<string, GroupAttendanceCounts>();
		let totals = this.#view.totals;
		for (const [id, value] of entries) {
			if (isAttendanceTotalsCounts(value)) {
				if (id !== this.#options.eventId) continue;
				totals = {
					expected: value.expected,
					arrived: value.arrived,
					late: value.late,
					left: value.left,
					outsideGroups: value.outside
				};
			} else byGroup.set(id, value);
		}
		if ([...byGroup.keys()].some((id) => !this.#view.groups.some((g) => g.id === id))) {
			// A group this page has not seen: its name and colour come with the board.
			this.#fetches.want('all');
		}
		this.#countsVersion = version;
		this.stats.applied++;
		this.#set({
			...this.#view,
			totals,
			groups: this.#view.groups.map((g) => {
				const next = g.id ? byGroup.get(g.id) : undefined;
				return next ? { ...g, present: next.present, expected: next.expected } : g;
			})
		});
	}

	async #fetch(ids: string[] | null): Promise<void> {
		if (ids) {
			this.stats.peopleFetches++;
			const { people } = await this.#options.fetchPeople(ids);
			if (!this.#closed) this.#placePeople(new Set(ids), people);
			return;
		}
		this.stats.resyncs++;
		const board = await this.#options.fetchBoard();
		if (this.#closed) return;
		this.#sequence.covered(board.version);
		if (board.version >= this.#countsVersion) {
			this.#countsVersion = board.version;
			this.#set(board);
			return;
		}
		// A hint newer than this read already gave the numbers: keep them.
		const counted = new Map(this.#view.groups.map((g) => [g.id, g] as const));
		this.#set({
			...board,
			totals: this.#view.totals,
			groups: board.groups.map((g) => {
				const shown = counted.get(g.id);
				return shown ? { ...g, present: shown.present, expected: shown.expected } : g;
			})
		});
	}

	/** These people's rows, wherever they show now (gone from where they no longer do). */
	#placePeople(asked: Set<string>, people: PlacedPerson[]): void {
		const inGroup = new Map<string, BoardPerson[]>();
		const others: BoardPerson[] = [];
		const unplaced: UnplacedMember[] = [];
		for (const { place, person } of people) {
			if (place === 'others') others.push(person);
			else if (place === 'unplaced') {
				unplaced.push({ userId: person.userId, displayName: person.displayName });
			} else {
				if (!this.#view.groups.some((g) => g.id === place.group)) this.#fetches.want('all');
				inGroup.set(place.group, [...(inGroup.get(place.group) ?? []), person]);
			}
		}
		const keep = <T extends { userId: string }>(list: T[]) =>
			list.filter((p) => !asked.has(p.userId));
		this.#set({
			...this.#view,
			groups: this.#view.groups.map((g) => ({
				...g,
				people: [...keep(g.people), ...(inGroup.get(g.id ?? '') ?? [])].sort(orderPeople)
			})),
			others: [...keep(this.#view.others), ...others].sort(orderPeople),
			unplaced: [...keep(this.#view.unplaced), ...unplaced].sort((a, b) =>
				a.displayName.localeCompare(b.displayName)
			)
		});
	}

	#set(view: AttendanceView): void {
		this.#view = view;
		this.#options.onChange?.(view);
	}
}
