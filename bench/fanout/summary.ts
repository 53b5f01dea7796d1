// Percentiles over many samples (a million client×claim receipts). bench/lib/stats.ts's
// summarize spreads the samples into Math.max, which overflows the stack past ~100,000.
export interface Summary {
	count: number;
	p50: number;
	p95: number;
	p99: number;
	max: number;
}

export function summary(samples: ArrayLike<number>): Summary {
	const sorted = Float64Array.from(samples).sort();
	const n = sorted.length;
	const at = (p: number) =>
		n === 0 ? Number.NaN : sorted[Math.min(Math.max(Math.ceil((p / 100) * n), 1), n) - 1];
	return { count: n, p50: at(50), p95: at(95), p99: at(99), max: n ? sorted[n - 1] : Number.NaN };
}
