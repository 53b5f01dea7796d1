// How late this process's event loop ran (Node's own histogram), for the fan-out benchmark's
// question "is a hint delayed by board loads?": a hint that arrives waits for the loop, so the
// loop's delay while boards load, beside its delay without them, is what the loads cost a hint
// on the server, apart from the bench's own clients (which lag behind on their own thread).
// Started on first use, only through the test hook; a production server never runs it.
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

let histogram: IntervalHistogram | null = null;

export interface LoopDelay {
	/** Milliseconds. */
	p50: number;
	p99: number;
	max: number;
	/** Samples since the last reset. */
	count: number;
}

function started(): IntervalHistogram {
	if (!histogram) {
		histogram = monitorEventLoopDelay({ resolution: 2 });
		histogram.enable();
	}
	return histogram;
}

/** The delay since the last `resetLoopDelay()` (or since the first call). */
export function loopDelay(): LoopDelay {
	const h = started();
	const ms = (ns: number) => Math.round(ns / 1e4) / 100;
	return {
		p50: ms(h.percentile(50)),
		p99: ms(h.percentile(99)),
		max: ms(h.max),
		count: h.count
	};
}

export function resetLoopDelay(): void {
	started().reset();
}
