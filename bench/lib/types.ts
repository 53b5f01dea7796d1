// The shape every benchmark reports in: one section per scenario, one row per figure, each
// beside the floor measured in the same run where the issue names one.
export interface BenchRow {
	/** What was measured, e.g. "claims/s" or "p95 latency". */
	metric: string;
	value: number;
	unit: string;
	/** The same figure for the floor, measured in the same run. */
	floor?: number;
	/** value / floor (or floor / value where lower is better), as the target states it. */
	ratio?: number;
	/** The target in words, e.g. "≥ 0.5 × floor" or "≤ 30 ms". */
	target?: string;
	/** Whether the target was met; undefined when the row has no target. */
	pass?: boolean;
}

export interface BenchSection {
	/** e.g. "Claim storm (postgres)". */
	name: string;
	/** Sizes and settings used (clients, duration, limits raised), for the report. */
	settings: Record<string, string | number | boolean>;
	rows: BenchRow[];
	/** What remains where a target is missed, and why; other observations. */
	notes: string[];
}

export interface BenchOptions {
	/** Tiny sizes that finish in seconds: CI runs these so the benchmarks keep working. */
	smoke: boolean;
	log: (line: string) => void;
}
