// The opening bench's count of Supabase messages follows tongxing_publish_hint's rule (first hint
// after a quiet rate at once, the rest merged and sent one rate after the last message).
import { describe, expect, it } from 'vitest';
import { coalescedMessages, peakIn } from '../../bench/support/coalescing';

describe('coalescedMessages', () => {
	it('sends the first at once and merges the rest into one message per rate', () => {
		expect(coalescedMessages([0, 100, 500, 1200, 1300], 1000)).toEqual([0, 1000, 2000]);
		expect(coalescedMessages([0, 100, 3000], 1000)).toEqual([0, 1000, 3000]);
		expect(coalescedMessages([5], 1000)).toEqual([5]);
		expect(coalescedMessages([], 1000)).toEqual([]);
	});

	it('keeps 200 claims in a second and 300 over a minute near one message per second', () => {
		const commits = [
			...Array.from({ length: 200 }, (_, i) => i * 5),
			...Array.from({ length: 300 }, (_, i) => 1000 + i * 197)
		];
		const sent = coalescedMessages(commits, 1000);
		expect(sent.length).toBeLessThanOrEqual(61);
		expect(peakIn(sent, 1000)).toBe(1);
		expect(peakIn([0, 999, 1000], 1000)).toBe(2);
	});

	it('counts a message one rate after the last in the next window, at fractional times', () => {
		// A performance.now() time (seen in a run): (t + 1000) - t is 999.9999999999854 here.
		const first = 130911.1650368072;
		expect(first + 1000 - first).toBeLessThan(1000);
		const sent = coalescedMessages([first, first + 3.3, first + 999.1, first + 1500.2], 1000);
		expect(sent).toEqual([first, first + 1000, first + 2000]);
		expect(peakIn(sent, 1000)).toBe(1);
		expect(peakIn([0.1, 0.1 + 999.9], 1000)).toBe(2);
	});
});
