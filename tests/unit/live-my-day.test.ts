import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LiveMyDay, type MyTask } from '../../src/lib/realtime/live-my-day';
import { taskCounts } from '../../src/lib/realtime/hint-wire';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const ME = id(99);
const CLAIMED = id(1);
const WAITING = id(2);
const OTHER = id(3);

function setUp() {
	const tasks: MyTask[] = [
		{ id: CLAIMED, status: 'claimed' },
		{ id: WAITING, status: 'waiting' }
	];
	const live = new LiveMyDay({
		version: 10,
		me: ME,
		tasks,
		fetchMine: () => Promise.resolve({ version: 20, tasks }),
		onChange: () => undefined,
		gapWaitMs: 300
	});
	return live;
}

const flush = () => vi.advanceTimersByTimeAsync(0);

describe('LiveMyDay', () => {
	beforeEach(() => vi.useFakeTimers());
	afterEach(() => vi.useRealTimers());

	it('reads my tasks again only for hints that can change them', async () => {
		const live = setUp();
		// Someone else's claim of a task I hold, and of one I do not have: nothing of mine moved.
		live.receive({
			kinds: ['tasks', 'signups'],
			ids: [CLAIMED],
			counts: { [CLAIMED]: taskCounts(2, 3, 0) },
			version: 11
		});
		live.receive({
			kinds: ['tasks', 'signups'],
			ids: [OTHER],
			counts: { [OTHER]: taskCounts(1, 3, 0) },
			version: 12
		});
		// A new task, and a check-in: not mine either.
		live.receive({ kinds: ['tasks'], ids: [OTHER], version: 13 });
		live.receive({ kinds: ['attendance'], ids: [id(50)], version: 14 });
		await flush();
		expect(live.reads).toBe(0);
		// The queue I wait in moved: my place may have.
		live.receive({
			kinds: ['tasks', 'signups'],
			ids: [WAITING],
			counts: { [WAITING]: taskCounts(3, 3, 1) },
			version: 15
		});
		await flush();
		expect(live.reads).toBe(1);
		// Someone assigned me; one of my tasks was edited.
		live.receive({
			kinds: ['tasks', 'signups'],
			ids: [OTHER, ME],
			counts: { [OTHER]: taskCounts(2, 3, 0) },
			version: 21
		});
		live.receive({ kinds: ['tasks'], ids: [CLAIMED], version: 22 });
		await flush();
		expect(live.reads).toBe(3);
	});

	it('a gap that stays open makes one read', async () => {
		const live = setUp();
		live.receive({ kinds: ['attendance'], ids: [id(50)], version: 12 });
		await vi.advanceTimersByTimeAsync(300);
		expect(live.reads).toBe(1);
	});
});
