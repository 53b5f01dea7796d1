import { describe, expect, it, vi } from 'vitest';
import { HintMerger, mergeHints, isHint, type Hint } from '../../src/lib/server/realtime/hints';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('hint bursts', () => {
	it('sends the first hint at once and merges the rest of the 50 ms window', () => {
		vi.useFakeTimers();
		try {
			const sent: { topic: string; payload: Hint }[] = [];
			const merger = new HintMerger((topic, _event, payload) => sent.push({ topic, payload }), 50);
			merger.push('team:a', { kinds: ['members'], ids: [id(1)] });
			expect(sent).toHaveLength(1);
			merger.push('team:a', { kinds: ['invites'], ids: [id(2)] });
			merger.push('team:a', { kinds: ['members'], ids: [id(3)], counts: { n: 2 } });
			merger.push('team:b', { kinds: ['members'] });
			expect(sent.map((s) => s.topic)).toEqual(['team:a', 'team:b']);
			vi.advanceTimersByTime(50);
			expect(sent[2]).toEqual({
				topic: 'team:a',
				payload: { kinds: ['invites', 'members'], ids: [id(2), id(3)], counts: { n: 2 } }
			});
			// A quiet window sends nothing more, and the next hint goes out at once again.
			vi.advanceTimersByTime(200);
			expect(sent).toHaveLength(3);
			merger.push('team:a', { kinds: ['members'] });
			expect(sent).toHaveLength(4);
			merger.close();
		} finally {
			vi.useRealTimers();
		}
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

	it('recognises only hint-shaped payloads', () => {
		expect(isHint({ kinds: ['members'], ids: [id(1)], counts: { n: 1 } })).toBe(true);
		expect(isHint({ kinds: ['members'], name: '张伟' })).toBe(false);
		expect(isHint({ kinds: ['members'], ids: ['张伟'] })).toBe(false);
		expect(isHint({ kinds: ['members'], counts: { n: 'x' } })).toBe(false);
		expect(isHint(null)).toBe(false);
	});
});
