// Percentiles and rates over raw samples (nearest-rank).
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
