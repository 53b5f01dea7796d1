// Percentiles and rates over raw samples (nearest-rank).
export function percentile(samples: readonly number[], p: number): number {
	if (samples.length === 0) return Number.NaN;
	const sorted = [...samples].sort((a, b) => a - b);
	const rank = Math.ceil((p / 100) * sorted.length);
	return sorted[Math.min(Math.max(rank, 1), sorted.length) - 1];
}

export function summarize(samples: readonly number[]) {
	return {
		count: samples.length,
		p50: percentile(samples, 50),
		p95: percentile(samples, 95),
		p99: percentile(samples, 99),
		// A loop, not Math.max(...samples): spreading 100,000+ samples overflows the stack.
		max: samples.length ? samples.reduce((a, b) => (b > a ? b : a), -Infinity) : Number.NaN
	};
}

/** Rounds for the report: 2 decimals under 10, 1 under 100, else whole. */
export function round(value: number): number {
	if (!Number.isFinite(value)) return value;
	const digits = Math.abs(value) < 10 ? 2 : Math.abs(value) < 100 ? 1 : 0;
	return Number(value.toFixed(digits));
}
