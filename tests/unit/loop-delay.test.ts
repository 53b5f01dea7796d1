// The event-loop delay the fan-out benchmark reads per phase (src/lib/server/loop-delay.ts):
// a loop held by synchronous work shows as that long a delay, and a reset starts afresh.
import { describe, expect, it } from 'vitest';
import { loopDelay, resetLoopDelay } from '$lib/server/loop-delay';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('loopDelay', () => {
	it('shows a loop held for 150 ms, and forgets it after a reset', async () => {
		resetLoopDelay();
		await sleep(20);
		const until = performance.now() + 150;
		while (performance.now() < until) {
			// Held: no timer of the histogram's can run.
		}
		await sleep(20);
		const held = loopDelay();
		expect(held.max).toBeGreaterThanOrEqual(120);
		expect(held.count).toBeGreaterThan(0);
		resetLoopDelay();
		await sleep(30);
		expect(loopDelay().max).toBeLessThan(held.max);
	});
});
