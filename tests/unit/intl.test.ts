import { afterEach, describe, expect, it, vi } from 'vitest';
import { dateTimeFormat, MAX_CACHED_FORMATS, numberFormat } from '../../src/lib/intl';
import { formatDateTime, formatNumber, isValidTimeZone } from '../../src/lib/i18n';
import { formatClock, formatHours } from '../../src/lib/day-format';
import { formatFen } from '../../src/lib/money';
import { todayIn, zonedTime } from '../../src/lib/time';

const instant = new Date('2026-03-08T09:30:00Z');

afterEach(() => {
	vi.restoreAllMocks();
});

describe('Intl formatter cache', () => {
	it('hands out one formatter per locale and options, a new one when the zone differs', () => {
		const a = dateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', timeStyle: 'short' });
		const b = dateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', timeStyle: 'short' });
		const c = dateTimeFormat('zh-CN', { timeZone: 'Europe/Berlin', timeStyle: 'short' });
		const d = dateTimeFormat('en', { timeZone: 'Asia/Shanghai', timeStyle: 'short' });
		expect(b).toBe(a);
		expect(c).not.toBe(a);
		expect(d).not.toBe(a);
		expect(c.resolvedOptions().timeZone).toBe('Europe/Berlin');
		expect(numberFormat('en', { style: 'percent' })).toBe(numberFormat('en', { style: 'percent' }));
		expect(numberFormat('en')).not.toBe(numberFormat('en', { style: 'percent' }));
	});

	it('formats exactly as a fresh formatter does', () => {
		const options = {
			dateStyle: 'full',
			timeStyle: 'short',
			timeZone: 'America/New_York'
		} as const;
		expect(dateTimeFormat('en', options).format(instant)).toBe(
			new Intl.DateTimeFormat('en', options).format(instant)
		);
		expect(formatFen(123450, 'zh-CN')).toBe(
			new Intl.NumberFormat('zh-CN', { style: 'currency', currency: 'CNY' }).format(1234.5)
		);
	});

	it('does not build a formatter again for repeated calls (board cards, CSV rows)', () => {
		// Warm every formatter these helpers use, then count constructions.
		const run = () => {
			formatDateTime(instant, 'en', 'Asia/Shanghai');
			formatClock(instant, 'Asia/Shanghai', 'zh-CN');
			formatHours(90, 'en');
			formatNumber(3, 'zh-CN');
			formatFen(100, 'en');
			todayIn('Asia/Shanghai', instant);
			zonedTime('2026-03-08', '09:30', 'Europe/Berlin');
		};
		run();
		const dates = vi.spyOn(Intl, 'DateTimeFormat');
		const numbers = vi.spyOn(Intl, 'NumberFormat');
		for (let i = 0; i < 100; i++) run();
		expect(dates).not.toHaveBeenCalled();
		expect(numbers).not.toHaveBeenCalled();
		expect(formatClock(instant, 'Asia/Shanghai', 'zh-CN')).toBe('17:30');
	});

	it('still refuses an unknown time zone, every time, and does not keep it', () => {
		expect(() => dateTimeFormat('en', { timeZone: 'Mars/Olympus' })).toThrow(RangeError);
		expect(isValidTimeZone('Mars/Olympus')).toBe(false);
		expect(isValidTimeZone('Mars/Olympus')).toBe(false);
		expect(isValidTimeZone('Asia/Shanghai')).toBe(true);
	});

	it('stays bounded when options come from data', () => {
		const first = numberFormat('en', { minimumIntegerDigits: 1 });
		for (let i = 0; i < MAX_CACHED_FORMATS + 5; i++) {
			numberFormat('en', {
				minimumIntegerDigits: 2 + (i % 20),
				maximumFractionDigits: Math.floor(i / 20)
			});
		}
		// The cache started again empty at its bound: the first formatter was let go.
		expect(numberFormat('en', { minimumIntegerDigits: 1 })).not.toBe(first);
	});
});
