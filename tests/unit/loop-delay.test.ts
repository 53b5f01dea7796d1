// The event-loop delay the fan-out benchmark reads per phase (src/lib/server/loop-delay.ts):
// a loop held by synchronous work shows as that long a delay, and a reset starts afresh.
import { existsSync } from 'node:fs';
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

	it.runIf(existsSync(`/proc/self/task/${process.pid}/schedstat`))(
		"tells the main thread's time on a CPU and waiting for one, since the reset (Linux)",
		async () => {
			resetLoopDelay();
			const until = performance.now() + 60;
			while (performance.now() < until) {
				// On a CPU for 60 ms (less whatever the scheduler took away).
			}
			await sleep(40);
			const { thread } = loopDelay();
			expect(thread).not.toBeNull();
			const { ranMs, waitedMs, elapsedMs } = thread!;
			expect(elapsedMs).toBeGreaterThanOrEqual(100);
			expect(ranMs + waitedMs).toBeGreaterThanOrEqual(55);
			expect(ranMs).toBeLessThanOrEqual(elapsedMs + 1);
			expect(waitedMs).toBeGreaterThanOrEqual(0);
			// The sleep was off the CPU: neither running nor waiting for it.
			expect(ranMs + waitedMs).toBeLessThan(elapsedMs);
			resetLoopDelay();
			expect(loopDelay().thread!.ranMs).toBeLessThan(ranMs);
		}
	);

	it.runIf(existsSync(`/proc/self/task/${process.pid}/schedstat`))(
		'splits the most delayed turn into time on a CPU and time waiting for one (Linux)',
		async () => {
			resetLoopDelay();
			await sleep(30);
			const until = performance.now() + 120;
			while (performance.now() < until) {
				// Held by work: the 5 ms ticker cannot run.
			}
			await sleep(20);
			const worst = loopDelay().thread!.worst!;
			expect(worst.lateMs).toBeGreaterThanOrEqual(100);
			// The 120 ms were spent running or, on a busy machine, ready and waiting for a CPU.
			expect(worst.ranMs + worst.waitedMs).toBeGreaterThanOrEqual(100);
			expect(worst.ranMs + worst.waitedMs).toBeLessThanOrEqual(worst.lateMs + 10);
			resetLoopDelay();
			await sleep(20);
			expect(loopDelay().thread!.worst?.lateMs ?? 0).toBeLessThan(worst.lateMs);
		}
	);
});
