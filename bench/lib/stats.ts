// Percentiles and rates over raw samples (nearest-rank), and a process's CPU time.
import { readFileSync } from 'node:fs';

export function percentile(samples: ArrayLike<number>, p: number): number {
	return at(Float64Array.from(samples).sort(), p);
}

function at(sorted: Float64Array, p: number): number {
	const n = sorted.length;
	if (n === 0) return Number.NaN;
	return sorted[Math.min(Math.max(Math.ceil((p / 100) * n), 1), n) - 1];
}

export interface Summary {
	count: number;
	p50: number;
	p95: number;
	p99: number;
	max: number;
}

/** Sorted once, in a typed array: the fan-out has a million client×claim receipts. */
export function summarize(samples: ArrayLike<number>): Summary {
	const sorted = Float64Array.from(samples).sort();
	const n = sorted.length;
	return {
		count: n,
		p50: at(sorted, 50),
		p95: at(sorted, 95),
		p99: at(sorted, 99),
		max: n ? sorted[n - 1] : Number.NaN
	};
}

/** Rounds for the report: 2 decimals under 10, 1 under 100, else whole. */
export function round(value: number): number {
	if (!Number.isFinite(value)) return value;
	const digits = Math.abs(value) < 10 ? 2 : Math.abs(value) < 100 ? 1 : 0;
	return Number(value.toFixed(digits));
}

/** User + system CPU seconds of a live process, from /proc (Linux; NaN elsewhere). */
export function cpuSeconds(pid: number | undefined): number {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		// utime and stime are fields 14 and 15 of the whole line, in clock ticks (100 per second).
		return (Number(fields[11]) + Number(fields[12])) / 100;
	} catch {
		return Number.NaN;
	}
}
