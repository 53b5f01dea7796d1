// The board's time arithmetic and order, shared by the server's render and the live board: the
// fast paths (times read in place, one collator) answer what the general ones did.
import { describe, expect, it } from 'vitest';
import { byTime, overlaps } from '$lib/board-filter';
import { minutesOf } from '$lib/time';

describe('minutesOf', () => {
	it('reads HH:MM and HH:MM:SS', () => {
		expect(minutesOf('00:00')).toBe(0);
		expect(minutesOf('08:30')).toBe(510);
		expect(minutesOf('08:30:00')).toBe(510);
		expect(minutesOf('23:59:59')).toBe(1439);
	});

	it('reads other shapes as the general parser does', () => {
		expect(minutesOf('8:30')).toBe(510);
		expect(minutesOf('8:05:00')).toBe(485);
		expect(minutesOf('ab:cd')).toBeNaN();
	});
});

describe('byTime', () => {
	const card = (id: string, date: string, startTime: string, title: string) => ({
		id,
		date,
		startTime,
		title
	});
	const cards = [
		card('b2', '2026-07-15', '09:00:00', '搬运音箱'),
		card('a1', '2026-07-15', '09:00:00', '搬运音箱'),
		card('c3', '2026-07-14', '14:00:00', '学习辅导'),
		card('d4', '2026-07-15', '08:00:00', '节目 2'),
		card('e5', '2026-07-15', '09:00:00', '安全巡查'),
		card('f6', '2026-07-15', '09:00:00', 'Zebra'),
		card('g7', '2026-07-15', '09:00:00', 'apple')
	];

	it('orders by day, start time, title in Chinese order, then id', () => {
		const old = (a: (typeof cards)[number], b: (typeof cards)[number]) =>
			a.date.localeCompare(b.date) ||
			a.startTime.localeCompare(b.startTime) ||
			a.title.localeCompare(b.title, 'zh-CN') ||
			a.id.localeCompare(b.id);
		const sorted = [...cards].sort(byTime).map((c) => c.id);
		expect(sorted).toEqual([...cards].sort(old).map((c) => c.id));
		expect(sorted.slice(0, 2)).toEqual(['c3', 'd4']);
		// 安 (ān) before 搬 (bān); the two 搬运音箱 by id.
		expect(sorted.indexOf('e5')).toBeLessThan(sorted.indexOf('a1'));
		expect(sorted.indexOf('a1')).toBe(sorted.indexOf('b2') - 1);
	});
});

describe('overlaps', () => {
	const w = (date: string, startTime: string, endTime: string) => ({ date, startTime, endTime });
	it('shares a minute; touching ends and other days do not overlap', () => {
		expect(overlaps(w('2026-07-15', '09:00', '10:00'), w('2026-07-15', '09:59:00', '11:00'))).toBe(
			true
		);
		expect(overlaps(w('2026-07-15', '09:00', '10:00'), w('2026-07-15', '10:00', '11:00'))).toBe(
			false
		);
		expect(overlaps(w('2026-07-15', '09:00', '10:00'), w('2026-07-16', '09:00', '10:00'))).toBe(
			false
		);
	});
});
