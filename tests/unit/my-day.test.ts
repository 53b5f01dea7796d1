import { describe, expect, it } from 'vitest';
import { myNowNext, overlappingIds } from '../../src/lib/my-day';
import { byTime, matchesFilter, overlapsOfMine } from '../../src/lib/board-filter';

const task = (id: string, startTime: string, endTime: string, status: 'claimed' | 'waiting') => ({
	id,
	title: id,
	date: '2026-07-01',
	startTime,
	endTime,
	status
});

describe('My day', () => {
	const tasks = [
		task('a', '09:00', '10:00', 'claimed'),
		task('b', '09:30', '11:00', 'claimed'),
		task('c', '11:00', '12:00', 'claimed'),
		task('w', '13:00', '14:00', 'waiting')
	];

	it('says which of my claimed tasks is on now and which comes next, in the event’s zone', () => {
		// 09:45 in Shanghai is 01:45 UTC.
		const view = myNowNext(tasks, 'Asia/Shanghai', new Date('2026-07-01T01:45:00Z'));
		expect(view.now.map((t) => t.id)).toEqual(['a', 'b']);
		expect(view.next?.id).toBe('c');
		// After the last claimed task nothing is next: a place on a waitlist is not a task.
		const late = myNowNext(tasks, 'Asia/Shanghai', new Date('2026-07-01T04:30:00Z'));
		expect(late).toEqual({ now: [], next: null });
		// The day before, the first task is next.
		const before = myNowNext(tasks, 'Asia/Shanghai', new Date('2026-06-30T12:00:00Z'));
		expect(before.now).toEqual([]);
		expect(before.next?.id).toBe('a');
	});

	it('marks the claimed tasks that overlap another (touching ends do not)', () => {
		expect([...overlappingIds(tasks)].sort()).toEqual(['a', 'b']);
	});
});

describe('the task board', () => {
	const card = (id: string, title: string, startTime: string, mine: boolean) => ({
		id,
		title,
		date: '2026-07-01',
		startTime,
		endTime: `${String(Number(startTime.slice(0, 2)) + 1).padStart(2, '0')}:00`,
		mine: mine ? { status: 'claimed' } : null
	});

	it('sorts by time, then title', () => {
		const cards = [card('3', 'B', '10:00', false), card('2', 'B', '09:00', false)];
		cards.push(card('1', 'A', '09:00', false));
		expect(cards.sort(byTime).map((c) => c.id)).toEqual(['1', '2', '3']);
	});

	it('marks both cards of an overlapping pair once one is claimed, and both once both are', () => {
		const one = [card('a', 'A', '09:00', true), card('b', 'B', '09:30', false)];
		expect(Object.fromEntries(overlapsOfMine(one))).toEqual({ b: ['A'] });
		const both = [card('a', 'A', '09:00', true), card('b', 'B', '09:30', true)];
		expect(Object.fromEntries(overlapsOfMine(both))).toEqual({ a: ['B'], b: ['A'] });
	});

	it('filters by kind on top of the other filters', () => {
		const c = {
			taken: 0,
			capacity: 2,
			waiting: 0,
			mine: null,
			group: null,
			kind: 'tutoring' as const
		};
		expect(matchesFilter(c, 'open', null, 'tutoring')).toBe(true);
		expect(matchesFilter(c, 'open', null, 'logistics')).toBe(false);
		expect(matchesFilter(c, 'all', null, null)).toBe(true);
	});
});
