// How late this process's event loop ran (Node's own histogram), for the fan-out benchmark's
// question "is a hint delayed by board loads?": a hint that arrives waits for the loop, so the
// loop's delay while boards load, beside its delay without them, is what the loads cost a hint
// on the server, apart from the bench's own clients (which lag behind on their own thread).
// Started on first use, only through the test hook; a production server never runs it.
//
// A delay has two parts: work the loop was doing, and time the thread was ready to run but the
// scheduler gave its CPU to another thread (on a 2-core machine that also runs the benchmark's
// clients, PostgreSQL or the PGlite worker). Linux's schedstat of the main thread tells them
// apart: over the phase, and for the most delayed of a 5 ms ticker's turns (where the histogram's max
// comes from, give or take its 2 ms resolution).
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

interface ThreadTimes {
	/** Milliseconds on a CPU, and ready to run but waiting for one, since the thread started. */
	ranMs: number;
	waitedMs: number;
	at: number;
}

/** The main thread's times from /proc (its thread id is the process id); null elsewhere. */
function threadTimes(): ThreadTimes | null {
	let text: string;
	try {
		text = readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8');
	} catch {
		return null;
	}
	const [ran, waited] = text.trim().split(/\s+/).map(Number);
	if (!Number.isFinite(ran) || !Number.isFinite(waited)) return null;
	return { ranMs: ran / 1e6, waitedMs: waited / 1e6, at: performance.now() };
}

interface Split {
	/** How late the tick ran, and of the time since the one before, on a CPU and waiting. */
	lateMs: number;
	ranMs: number;
	waitedMs: number;
}

export interface LoopDelay {
	/** Milliseconds. */
	p50: number;
	p99: number;
	max: number;
	/** Samples since the last reset. */
	count: number;
	/**
	 * Since the last reset, in milliseconds: how long the main thread ran on a CPU, how long it
	 * was ready to run but waited for one, and the time that passed; `worst`, the tick that ran
	 * furthest behind its time, split the same way. Null where the kernel does not tell (not Linux).
	 */
	thread: { ranMs: number; waitedMs: number; elapsedMs: number; worst: Split | null } | null;
}

const TICK_MS = 5;

let histogram: IntervalHistogram | null = null;
let since: ThreadTimes | null = null;
let worst: Split | null = null;

function tick(previous: ThreadTimes | null): void {
	const now = threadTimes();
	if (now && previous) {
		const lateMs = now.at - previous.at - TICK_MS;
		if (lateMs > (worst?.lateMs ?? 0)) {
			worst = {
				lateMs,
				ranMs: now.ranMs - previous.ranMs,
				waitedMs: now.waitedMs - previous.waitedMs
			};
		}
	}
	setTimeout(tick, TICK_MS, now).unref();
}

function started(): IntervalHistogram {
	if (!histogram) {
		histogram = monitorEventLoopDelay({ resolution: 2 });
		histogram.enable();
		since = threadTimes();
		if (since) tick(null);
	}
	return histogram;
}

const round = (n: number) => Math.round(n * 100) / 100;

/** The delay since the last `resetLoopDelay()` (or since the first call). */
export function loopDelay(): LoopDelay {
	const h = started();
	const ms = (ns: number) => Math.round(ns / 1e4) / 100;
	const now = threadTimes();
	return {
		p50: ms(h.percentile(50)),
		p99: ms(h.percentile(99)),
		max: ms(h.max),
		count: h.count,
		thread:
			now && since
				? {
						ranMs: round(now.ranMs - since.ranMs),
						waitedMs: round(now.waitedMs - since.waitedMs),
						elapsedMs: round(now.at - since.at),
						worst: worst && {
							lateMs: round(worst.lateMs),
							ranMs: round(worst.ranMs),
							waitedMs: round(worst.waitedMs)
						}
					}
				: null
	};
}

export function resetLoopDelay(): void {
	started().reset();
	since = threadTimes();
	worst = null;
}
