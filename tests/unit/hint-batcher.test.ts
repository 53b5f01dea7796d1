import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { hintBatcher } from '../../src/lib/realtime/hint-batcher';

describe('a live page’s hint batcher', () => {
	beforeEach(() => {
		vi.useFakeTimers();
	});
	afterEach(() => {
		vi.useRealTimers();
	});

	it('reloads once for all the kinds of a hint, at once', () => {
		const flushed: string[][] = [];
		const batcher = hintBatcher((kinds) => flushed.push(kinds), 300);
		batcher.add(['tasks', 'signups']);
		expect(flushed).toEqual([['tasks', 'signups']]);
	});

	it('gathers a burst of hints into one trailing reload per interval', () => {
		const flushed: string[][] = [];
		const batcher = hintBatcher((kinds) => flushed.push(kinds), 300);
		batcher.add(['tasks', 'signups']);
		vi.advanceTimersByTime(100);
		batcher.add(['tasks', 'signups']);
		batcher.add(['groups']);
		vi.advanceTimersByTime(150);
		batcher.add(['signups']);
		expect(flushed).toHaveLength(1);
		vi.advanceTimersByTime(50);
		expect(flushed).toEqual([
			['tasks', 'signups'],
			['tasks', 'signups', 'groups']
		]);
		// Twenty hints a second for a second: the page reloads about three times, not forty.
		for (let i = 0; i < 20; i++) {
			batcher.add(['tasks', 'signups']);
			vi.advanceTimersByTime(50);
		}
		vi.advanceTimersByTime(300);
		expect(flushed.length - 2).toBeLessThanOrEqual(4);
		expect(flushed.length - 2).toBeGreaterThanOrEqual(3);
	});

	it('sends the next hint after a quiet interval at once again', () => {
		const flushed: string[][] = [];
		const batcher = hintBatcher((kinds) => flushed.push(kinds), 300);
		batcher.add(['tasks']);
		vi.advanceTimersByTime(1000);
		batcher.add(['members']);
		expect(flushed).toEqual([['tasks'], ['members']]);
	});

	it('ignores what is not a list of plain kind names', () => {
		const flushed: string[][] = [];
		const batcher = hintBatcher((kinds) => flushed.push(kinds), 300);
		batcher.add(undefined);
		batcher.add('tasks');
		batcher.add(['Tasks', 'x:y', 42, '../signups']);
		expect(flushed).toEqual([]);
		batcher.add(['x:y', 'tasks']);
		expect(flushed).toEqual([['tasks']]);
	});

	it('drops a waiting reload when closed', () => {
		const flushed: string[][] = [];
		const batcher = hintBatcher((kinds) => flushed.push(kinds), 300);
		batcher.add(['tasks']);
		batcher.add(['signups']);
		batcher.close();
		vi.advanceTimersByTime(1000);
		expect(flushed).toEqual([['tasks']]);
	});
});
