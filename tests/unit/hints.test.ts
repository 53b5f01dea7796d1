import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
	HintMerger,
	mergeHints,
	isHint,
	taskCounts,
	type Hint
} from '../../src/lib/server/realtime/hints';
import { isSignupDelta } from '../../src/lib/realtime/hint-wire';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** After `quietMs` nothing more is sent, and the next hint on `topic` goes out at once. */
function expectAtOnceAfterQuiet(
	merger: HintMerger,
	sent: unknown[],
	quietMs: number,
	topic: string
) {
	const before = sent.length;
	vi.advanceTimersByTime(quietMs);
	expect(sent).toHaveLength(before);
	merger.push(topic, { kinds: ['tasks'] });
	expect(sent).toHaveLength(before + 1);
	merger.close();
}

describe('hint bursts', () => {
	beforeEach(() => vi.useFakeTimers());
	afterEach(() => vi.useRealTimers());

	it('sends the first hint at once and merges the rest of the 50 ms window', () => {
		const sent: { topic: string; payload: Hint }[] = [];
		const merger = new HintMerger((topic, _event, payload) => sent.push({ topic, payload }), 50);
		merger.push('team:a', { kinds: ['members'], ids: [id(1)] });
		expect(sent).toHaveLength(1);
		merger.push('team:a', { kinds: ['invites'], ids: [id(2)] });
		merger.push('team:a', {
			kinds: ['members'],
			ids: [id(3)],
			counts: { [id(3)]: taskCounts(2, 2, 0) }
		});
		merger.push('team:b', { kinds: ['members'] });
		expect(sent.map((s) => s.topic)).toEqual(['team:a', 'team:b']);
		vi.advanceTimersByTime(50);
		expect(sent[2]).toEqual({
			topic: 'team:a',
			payload: {
				kinds: ['invites', 'members'],
				ids: [id(2), id(3)],
				counts: { [id(3)]: taskCounts(2, 2, 0) }
			}
		});
		// A quiet window sends nothing more, and the next hint goes out at once again.
		expectAtOnceAfterQuiet(merger, sent, 200, 'team:a');
	});

	it('with a burst allowance, sends that many at once and merges the rest until a token comes', () => {
		const sent: { at: number; payload: Hint }[] = [];
		const start = Date.now();
		const merger = new HintMerger(
			(_topic, _event, payload) => sent.push({ at: Date.now() - start, payload }),
			50,
			3
		);
		for (let n = 1; n <= 5; n++) merger.push('event:a', { kinds: ['tasks'], ids: [id(n)] });
		expect(sent.map((s) => s.payload.ids)).toEqual([[id(1)], [id(2)], [id(3)]]);
		vi.advanceTimersByTime(49);
		expect(sent).toHaveLength(3);
		vi.advanceTimersByTime(1);
		expect(sent[3]).toEqual({ at: 50, payload: { kinds: ['tasks'], ids: [id(4), id(5)] } });
		// Quiet for long enough to refill: the next ones go out at once again.
		expectAtOnceAfterQuiet(merger, sent, 500, 'event:a');
	});

	it('lets a steady stream at the cap through without delay, and caps a storm', () => {
		let sent = 0;
		const merger = new HintMerger(() => (sent += 1), 50, 3);
		// 20 hints a second with jitter, as claims arrive: each one goes out as it comes.
		for (const gap of [45, 55, 30, 70, 48, 52, 35, 65, 50, 50, 20, 80]) {
			vi.advanceTimersByTime(gap);
			const before = sent;
			merger.push('event:a', { kinds: ['tasks'] });
			expect(sent).toBe(before + 1);
		}
		vi.advanceTimersByTime(1_000);
		// A storm of 200 hints over 500 ms: at most the burst plus one per 50 ms.
		const stormStart = sent;
		for (let i = 0; i < 200; i++) {
			merger.push('event:a', { kinds: ['tasks'] });
			vi.advanceTimersByTime(2.5);
		}
		vi.advanceTimersByTime(1_000);
		expect(sent - stormStart).toBeGreaterThanOrEqual(10);
		expect(sent - stormStart).toBeLessThanOrEqual(3 + 500 / 50 + 1);
		merger.close();
	});

	it('widens the window while a storm keeps merging, not for a steady stream, and resets when quiet', () => {
		const sent: number[] = [];
		const start = Date.now();
		const merger = new HintMerger(() => sent.push(Date.now() - start), 50, 3, 100);
		// A storm: a hint every 5 ms for 1 s. The burst as it comes, a merged message at 50 ms, and
		// from then on one per 100 ms (not one per 50 ms).
		for (let i = 0; i < 200; i++) {
			merger.push('event:a', { kinds: ['tasks'] });
			vi.advanceTimersByTime(5);
		}
		expect(sent.slice(0, 4)).toEqual([0, 5, 10, 50]);
		const gaps = sent.slice(4).map((at, i) => at - sent[3 + i]);
		expect(gaps.every((gap) => gap === 100)).toBe(true);
		expect(sent.length).toBeLessThanOrEqual(3 + 1 + 10);
		// Quiet: the last merged hint still goes out, then the topic is forgotten.
		vi.advanceTimersByTime(1_000);
		const afterStorm = sent.length;
		// A steady 20 hints a second after it: each goes out as it comes (the window is 50 ms again).
		for (let i = 0; i < 20; i++) {
			const before = sent.length;
			merger.push('event:a', { kinds: ['tasks'] });
			expect(sent).toHaveLength(before + 1);
			vi.advanceTimersByTime(50);
		}
		expect(sent.length - afterStorm).toBe(20);
		vi.advanceTimersByTime(1_000);
		// A few hints bunched after a stall (a busy moment): merged once, the window stays 50 ms.
		const bunch = sent.length;
		for (let i = 0; i < 6; i++) merger.push('event:a', { kinds: ['tasks'] });
		vi.advanceTimersByTime(50);
		merger.push('event:a', { kinds: ['tasks'] });
		merger.push('event:a', { kinds: ['tasks'] });
		vi.advanceTimersByTime(50);
		expect(sent.slice(bunch).map((at) => at - sent[bunch])).toEqual([0, 0, 0, 50, 100]);
		merger.close();
	});

	it('keeps the union; "all" wins over ids, and more than 50 ids become "all"', () => {
		expect(mergeHints({ kinds: ['a'], ids: [id(1)] }, { kinds: ['b'] })).toEqual({
			kinds: ['a', 'b']
		});
		const many = Array.from({ length: 30 }, (_, i) => id(i));
		const more = Array.from({ length: 30 }, (_, i) => id(100 + i));
		expect(mergeHints({ kinds: ['a'], ids: many }, { kinds: ['a'], ids: more })).toEqual({
			kinds: ['a']
		});
	});

	it('merges each task’s later counters and the run of versions', () => {
		const a: Hint = {
			kinds: ['tasks'],
			ids: [id(1)],
			counts: { [id(1)]: taskCounts(1, 2, 0) },
			version: 4
		};
		const b: Hint = {
			kinds: ['signups'],
			ids: [id(1), id(2)],
			counts: { [id(1)]: taskCounts(2, 2, 0), [id(2)]: taskCounts(1, 5, 0) },
			version: [5, 6]
		};
		expect(mergeHints(a, b)).toEqual({
			kinds: ['tasks', 'signups'],
			ids: [id(1), id(2)],
			counts: {
				[id(1)]: { taken: 2, capacity: 2, waiting: 0, full: 1 },
				[id(2)]: taskCounts(1, 5, 0)
			},
			version: [4, 6]
		});
	});

	it('recognises only hint-shaped payloads', () => {
		expect(
			isHint({ kinds: ['members'], ids: [id(1)], counts: { [id(1)]: taskCounts(1, 1, 0) } })
		).toBe(true);
		expect(isHint({ kinds: ['tasks'], version: 3 })).toBe(true);
		expect(isHint({ kinds: ['tasks'], version: [3, 5] })).toBe(true);
		expect(isHint({ kinds: ['tasks'], version: [5, 3] })).toBe(false);
		expect(isHint({ kinds: ['tasks'], version: '3' })).toBe(false);
		expect(isHint({ kinds: ['members'], counts: { n: 1 } })).toBe(false);
		expect(
			isHint({ kinds: ['members'], counts: { [id(1)]: { ...taskCounts(1, 1, 0), name: 1 } } })
		).toBe(false);
		expect(isHint({ kinds: ['members'], name: '张伟' })).toBe(false);
		expect(isHint({ kinds: ['members'], ids: ['张伟'] })).toBe(false);
		expect(isHint({ kinds: ['members'], counts: { n: 'x' } })).toBe(false);
		expect(isHint(null)).toBe(false);
	});
});

describe('isSignupDelta', () => {
	it('is a sign-up change with counters only: a page without counts has nothing to change', () => {
		const counts = { [id(1)]: taskCounts(1, 2, 0) };
		expect(isSignupDelta({ kinds: ['tasks', 'signups'], ids: [id(1)], counts, version: 3 })).toBe(
			true
		);
		// A new, edited or deleted task, a readiness step, or "all": no counters.
		expect(isSignupDelta({ kinds: ['tasks'], ids: [id(1)], version: 4 })).toBe(false);
		expect(isSignupDelta({ kinds: ['tasks', 'signups'], ids: [id(1)], version: 5 })).toBe(false);
		expect(isSignupDelta({ kinds: ['tasks', 'groups'], counts, version: 6 })).toBe(false);
		expect(isSignupDelta({ kinds: ['tasks'], counts: {}, version: 7 })).toBe(false);
		expect(isSignupDelta({ kinds: ['tasks'], counts: { [id(1)]: { taken: -1 } } })).toBe(false);
		expect(isSignupDelta(null)).toBe(false);
	});
});
