import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
	LiveAttendance,
	type AttendanceView,
	type LiveAttendanceOptions
} from '../../src/lib/realtime/live-attendance';
import type { BoardPerson } from '../../src/lib/attendance-board';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const EVENT = id(100);
const G1 = id(1);
const G2 = id(2);
const ZHANG = id(11);
const WANG = id(12);

const person = (userId: string, name: string, inAt: Date | null = null): BoardPerson => ({
	userId,
	displayName: name,
	checkedInAt: inAt,
	checkedOutAt: null,
	isLate: false,
	canMark: true
});

function view(version = 10): AttendanceView {
	return {
		version,
		session: 'day',
		groups: [
			{ id: G1, name: '一组', colour: '#111111', expected: 2, present: 0, people: [] },
			{ id: G2, name: '二组', colour: '#222222', expected: 1, present: 0, people: [] }
		],
		others: [],
		unplaced: [{ userId: WANG, displayName: '王芳' }],
		totals: { expected: 3, arrived: 0, late: 0, left: 0, outsideGroups: 0 }
	};
}

const numbers = (meeting: 0 | 1, arrived: number, g1: number) => ({
	[EVENT]: { meeting, expected: 3, arrived, late: 0, left: 0, outside: 0 },
	[G1]: { meeting, present: g1, expected: 2 }
});

function setUp(more: Partial<LiveAttendanceOptions> = {}) {
	const calls: (string[] | null)[] = [];
	const state = { version: 10, board: view() };
	const live = new LiveAttendance({
		eventId: EVENT,
		view: view(),
		fetchPeople: (ids) => {
			calls.push(ids);
			return Promise.resolve({
				version: state.version,
				people: ids.includes(ZHANG)
					? [{ place: { group: G1 }, person: person(ZHANG, '张伟', new Date()) }]
					: []
			});
		},
		fetchBoard: () => {
			calls.push(null);
			return Promise.resolve({ ...state.board, version: state.version });
		},
		gapWaitMs: 300,
		...more
	});
	return { live, calls, state };
}

const flush = () => vi.advanceTimersByTimeAsync(0);

describe('LiveAttendance', () => {
	beforeEach(() => vi.useFakeTimers());
	afterEach(() => vi.useRealTimers());

	it('shows a check-in’s numbers at once and fetches only that person’s row', async () => {
		const { live, calls } = setUp();
		live.receive({ kinds: ['attendance'], ids: [ZHANG], counts: numbers(0, 1, 1), version: 11 });
		expect(live.view.totals.arrived).toBe(1);
		expect(live.view.groups[0].present).toBe(1);
		await flush();
		expect(calls).toEqual([[ZHANG]]);
		expect(live.view.groups[0].people.map((p) => p.displayName)).toEqual(['张伟']);
		expect(live.version).toBe(11);
	});

	it('ignores a duplicate, and an older hint never overwrites newer numbers', async () => {
		const { live } = setUp();
		const first = { kinds: ['attendance'], ids: [ZHANG], counts: numbers(0, 2, 2), version: 12 };
		live.receive(first);
		live.receive({ kinds: ['attendance'], ids: [WANG], counts: numbers(0, 1, 1), version: 11 });
		expect(live.view.totals.arrived).toBe(2);
		live.receive(first);
		expect(live.stats.duplicates).toBe(1);
		expect(live.version).toBe(12);
		await flush();
	});

	it('a gap that stays open makes one resync of the board alone', async () => {
		const { live, calls, state } = setUp();
		live.receive({ kinds: ['attendance'], ids: [ZHANG], counts: numbers(0, 2, 2), version: 12 });
		await flush();
		state.version = 12;
		state.board = { ...view(12), totals: { ...view().totals, arrived: 2 } };
		await vi.advanceTimersByTimeAsync(300);
		expect(calls).toEqual([[ZHANG], null]);
		expect(live.stats).toMatchObject({ gaps: 1, resyncs: 1 });
		expect(live.version).toBe(12);
	});

	it('another session’s hint changes nothing; merged with this one’s, the board is read again', async () => {
		const { live, calls } = setUp();
		live.receive({ kinds: ['attendance'], ids: [ZHANG], counts: numbers(1, 1, 1), version: 11 });
		expect(live.view.totals.arrived).toBe(0);
		await flush();
		expect(calls).toEqual([]);
		live.receive({
			kinds: ['attendance'],
			ids: [ZHANG],
			counts: numbers(1, 2, 2),
			version: [12, 13]
		});
		await flush();
		expect(calls).toEqual([null]);
	});

	it('without numbers (settings, many groups) or on a groups change: a resync, never cancelled', async () => {
		const { live, calls } = setUp();
		live.receive({ kinds: ['attendance'], version: 11 });
		// Arriving while the first read is on its way: folded into one follow-up.
		live.receive({ kinds: ['groups'], ids: [G1], version: 12 });
		live.receive({ kinds: ['attendance'], version: 13 });
		await flush();
		expect(calls).toEqual([null, null]);
		expect(live.version).toBe(13);
	});

	it('someone unplaced who checks in moves to "here, in no group"', async () => {
		const { live } = setUp({
			fetchPeople: () =>
				Promise.resolve({
					version: 11,
					people: [{ place: 'others', person: person(WANG, '王芳', new Date()) }]
				})
		});
		live.receive({ kinds: ['attendance'], ids: [WANG], counts: numbers(0, 0, 0), version: 11 });
		await flush();
		expect(live.view.unplaced).toEqual([]);
		expect(live.view.others.map((p) => p.userId)).toEqual([WANG]);
	});
});
