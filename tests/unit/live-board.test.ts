import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LiveBoard, type BoardSnapshot, type CountedCard } from '../../src/lib/realtime/live-board';
import { taskCounts } from '../../src/lib/realtime/hint-wire';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const A = id(1);
const B = id(2);
const ME = id(99);

interface Card extends CountedCard {
	title: string;
}

function card(n: number, taken = 0, capacity = 5, waiting = 0): Card {
	return { id: id(n), taken, capacity, waiting, title: `task ${n}` };
}

/** The "server": what fetchCards answers, and every call it got (ids or null for all). */
function server(version: number, cards: Card[]) {
	const calls: (string[] | null)[] = [];
	const pending: (() => void)[] = [];
	const state = { version, cards, hold: false };
	const fetchCards = (ids: string[] | null): Promise<BoardSnapshot<Card>> => {
		calls.push(ids);
		const answer = () => ({
			version: state.version,
			cards: state.cards.filter((c) => ids === null || ids.includes(c.id)).map((c) => ({ ...c }))
		});
		if (!state.hold) return Promise.resolve(answer());
		return new Promise((resolve) => pending.push(() => resolve(answer())));
	};
	return { calls, pending, state, fetchCards };
}

/** A board over `s`'s cards at version 10, fetching from it. */
const boardOn = (
	s: ReturnType<typeof server>,
	options: Partial<ConstructorParameters<typeof LiveBoard<Card>>[0]> = {}
) =>
	new LiveBoard<Card>({ version: 10, cards: s.state.cards, fetchCards: s.fetchCards, ...options });

const counts = (taken: number, capacity = 5, waiting = 0) => taskCounts(taken, capacity, waiting);
/** The hint a claim or withdrawal on A sends: its new counts at `version`. */
const countsHint = (version: number, taken: number) => ({
	kinds: ['tasks', 'signups'],
	ids: [A],
	counts: { [A]: counts(taken) },
	version
});
const flush = () => vi.advanceTimersByTimeAsync(0);

describe('LiveBoard', () => {
	beforeEach(() => vi.useFakeTimers());
	afterEach(() => vi.useRealTimers());

	it('applies a delta at once and fetches nothing for it', async () => {
		const s = server(10, [card(1), card(2)]);
		const changes: Card[][] = [];
		const board = boardOn(s, { onChange: (cards) => changes.push(cards) });
		board.receive(countsHint(11, 1));
		expect(board.card(A)).toMatchObject({ taken: 1, title: 'task 1' });
		expect(board.version).toBe(11);
		expect(changes).toHaveLength(1);
		await flush();
		expect(s.calls).toEqual([]);
		board.close();
	});

	it('ignores a duplicate and an older hint that arrives after a newer one', async () => {
		const s = server(10, [card(1)]);
		const board = boardOn(s);
		board.receive(countsHint(11, 1));
		board.receive(countsHint(11, 1));
		board.receive(countsHint(13, 3)); // ahead of 12: shown at once, the gap stays open
		board.receive(countsHint(12, 2)); // out of order: closes the gap, does not undo 13's count
		expect(board.card(A)?.taken).toBe(3);
		expect(board.version).toBe(13);
		expect(board.stats.duplicates).toBe(1);
		await vi.advanceTimersByTimeAsync(2_000);
		expect(s.calls).toEqual([]);
		board.close();
	});

	it('a gap that stays open makes one resync; the resync covers it', async () => {
		const s = server(10, [card(1), card(2)]);
		const board = boardOn(s, { gapWaitMs: 300 });
		board.receive(countsHint(11, 1));
		// 12 is lost; 13 and 14 come.
		board.receive(countsHint(13, 3));
		board.receive({
			kinds: ['tasks', 'signups'],
			ids: [B],
			counts: { [B]: counts(1) },
			version: 14
		});
		expect(board.version).toBe(11);
		s.state.version = 14;
		s.state.cards = [card(1, 3), card(2, 1), card(3)];
		await vi.advanceTimersByTimeAsync(299);
		expect(s.calls).toEqual([]);
		await vi.advanceTimersByTimeAsync(1);
		expect(s.calls).toEqual([null]);
		expect(board.version).toBe(14);
		expect(board.cards.map((c) => [c.id, c.taken])).toEqual([
			[A, 3],
			[B, 1],
			[id(3), 0]
		]);
		expect(board.stats).toMatchObject({ gaps: 1, resyncs: 1 });
		board.close();
	});

	it('never cancels a fetch in flight: later wishes fold into one follow-up', async () => {
		const s = server(10, [card(1), card(2)]);
		s.state.hold = true;
		const board = boardOn(s);
		board.receive({ kinds: ['tasks'], ids: [A], version: 11 }); // A edited
		board.receive({ kinds: ['tasks'], ids: [B], version: 12 });
		board.receive({ kinds: ['tasks'], ids: [id(3)], version: 13 }); // a new task
		expect(s.calls).toEqual([[A]]);
		s.state.cards = [{ ...card(1), title: 'renamed' }, card(2), card(3)];
		s.state.version = 13;
		s.pending.shift()!();
		await flush();
		expect(board.card(A)?.title).toBe('renamed');
		expect(s.calls).toEqual([[A], [B, id(3)]]);
		s.pending.shift()!();
		await flush();
		expect(board.cards.map((c) => c.id)).toEqual([A, B, id(3)]);
		expect(s.calls).toHaveLength(2);
		board.close();
	});

	it('a fetched card older than a hint keeps the hint’s counts; a deleted card goes', async () => {
		const s = server(10, [card(1), card(2)]);
		s.state.hold = true;
		const board = boardOn(s);
		board.receive({ kinds: ['tasks', 'signups'], ids: [B], version: 11 }); // B deleted
		board.receive(countsHint(12, 4));
		s.state.cards = [card(1, 2)];
		s.state.version = 11;
		s.pending.shift()!();
		await flush();
		expect(board.cards.map((c) => [c.id, c.taken])).toEqual([[A, 4]]);
		board.close();
	});

	it('refetches my cards when someone else moves me; not for others', async () => {
		const s = server(10, [card(1), card(2)]);
		const board = new LiveBoard({
			version: 10,
			me: ME,
			cards: s.state.cards,
			fetchCards: s.fetchCards,
			detailsQuietMs: 60_000
		});
		board.receive({
			kinds: ['tasks', 'signups'],
			ids: [A, id(50)],
			counts: { [A]: counts(1) },
			version: 11
		});
		board.receive({
			kinds: ['tasks', 'signups'],
			ids: [B, ME],
			counts: { [B]: counts(1) },
			version: 12
		});
		await flush();
		expect(s.calls).toEqual([[B]]);
		board.close();
	});

	it('applies my own answer and then finds nothing new in its hint', async () => {
		const s = server(10, [card(1)]);
		const changes: Card[][] = [];
		const board = boardOn(s, { me: ME, onChange: (c) => changes.push(c) });
		board.applyOwn(A, counts(1), 11, { title: 'mine now' });
		// The claim's own hint names the task and me, like every placement change.
		board.receive({ ...countsHint(11, 1), ids: [A, ME] });
		await flush();
		expect(board.card(A)).toMatchObject({ taken: 1, title: 'mine now' });
		expect(changes).toHaveLength(1);
		expect(s.calls).toEqual([]);
		// A later change of my placement by someone else (a captain's removal) is news: my card.
		board.receive({ ...countsHint(12, 0), ids: [A, ME] });
		await flush();
		expect(s.calls).toEqual([[A]]);
		board.close();
	});

	it('fetches the claimant names of moved cards once the rush is quiet, or after the longest wait', async () => {
		const s = server(10, [card(1), card(2)]);
		const board = boardOn(s, {
			detailsQuietMs: 1_000,
			detailsJitterMs: 0,
			detailsMaxWaitMs: 5_000,
			detailsMaxWaitSpread: 0
		});
		let v = 11;
		const claim = (task: string) =>
			board.receive({
				kinds: ['signups'],
				ids: [task],
				counts: { [task]: counts(v - 10, 50) },
				version: v++
			});
		// A claim every 500 ms: never quiet, so the names come at the longest wait, once.
		for (let i = 0; i < 12; i++) {
			claim(A);
			await vi.advanceTimersByTimeAsync(500);
		}
		expect(s.calls).toEqual([[A]]);
		expect(board.card(A)?.taken).toBe(12); // the fetched card (version 10) is older than the hints
		claim(B);
		await vi.advanceTimersByTimeAsync(999);
		expect(s.calls).toHaveLength(1);
		await vi.advanceTimersByTimeAsync(1);
		expect(s.calls).toEqual([[A], [A, B]]);
		board.close();
	});

	it('spreads the longest wait of a room of boards that moved together over its second half', async () => {
		// 100 phones see the same rush (a claim every 500 ms from the opening on).
		let seed = 7;
		const random = () => ((seed = (seed * 48_271) % 2_147_483_647) - 1) / 2_147_483_646;
		const asked: number[] = [];
		const start = Date.now();
		const boards = Array.from({ length: 100 }, () => {
			const s = server(10, [card(1)]);
			return new LiveBoard<Card>({
				version: 10,
				cards: s.state.cards,
				fetchCards: (ids) => {
					asked.push(Date.now() - start);
					return s.fetchCards(ids);
				},
				detailsQuietMs: 1_000,
				detailsJitterMs: 0,
				detailsMaxWaitMs: 10_000,
				random
			});
		});
		for (let v = 11; v <= 30; v++) {
			for (const board of boards) board.receive(countsHint(v, v - 10));
			await vi.advanceTimersByTimeAsync(500);
		}
		// Each board asked once, between 5 s and 10 s, and not in one instant: across at least
		// 3 s of that span, no second with more than a third of them (without the spread, all
		// 100 ask at 10 s).
		expect(asked).toHaveLength(100);
		expect(Math.min(...asked)).toBeGreaterThanOrEqual(5_000);
		expect(Math.max(...asked)).toBeLessThanOrEqual(10_000);
		const perSecond = new Map<number, number>();
		for (const at of asked)
			perSecond.set(Math.floor(at / 1000), (perSecond.get(Math.floor(at / 1000)) ?? 0) + 1);
		expect(Math.max(...asked) - Math.min(...asked)).toBeGreaterThanOrEqual(3_000);
		expect(Math.max(...perSecond.values())).toBeLessThanOrEqual(35);
		for (const board of boards) board.close();
	});

	it('a reconnect resyncs once; a failed fetch is retried', async () => {
		const s = server(10, [card(1)]);
		let fail = true;
		const board = new LiveBoard({
			version: 10,
			cards: s.state.cards,
			fetchCards: (ids) => (fail ? Promise.reject(new TypeError('offline')) : s.fetchCards(ids)),
			retryMs: 1_000
		});
		board.resync();
		await flush();
		expect(board.stats.failures).toBe(1);
		fail = false;
		s.state.version = 12;
		await vi.advanceTimersByTimeAsync(1_000);
		expect(s.calls).toEqual([null]);
		expect(board.version).toBe(12);
		board.close();
	});

	it('ignores what is not a hint, counts versions of other kinds', () => {
		const s = server(10, [card(1)]);
		const board = boardOn(s);
		board.receive(null);
		board.receive({ kinds: 'tasks' });
		board.receive({ kinds: ['tasks'], ids: [A], counts: { [A]: { taken: 'x' } }, version: 'v' });
		board.receive({ kinds: ['announcements'], ids: [id(7)], version: 11 });
		expect(board.version).toBe(11);
		expect(board.card(A)?.taken).toBe(0);
		board.close();
	});
});
