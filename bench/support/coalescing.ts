// What supabase mode would send for a run's hints (the opening scenario runs in self mode).
/**
 * How many messages supabase mode's coalescing (tongxing_publish_hint, REALTIME_TOPIC_MAX_RATE)
 * sends for hints committed at these times: the first after a quiet `rateMs` at once, later
 * ones merged and sent when `rateMs` has passed since the last message (the flusher's polling
 * delay left out).
 */
export function coalescedMessages(commitTimes: readonly number[], rateMs: number): number[] {
	const sent: number[] = [];
	let pendingSince: number | null = null;
	for (const at of [...commitTimes].sort((a, b) => a - b)) {
		const last = sent.at(-1);
		if (pendingSince !== null && last !== undefined && at >= last + rateMs) {
			sent.push(last + rateMs);
			pendingSince = null;
		}
		const latest = sent.at(-1);
		if (pendingSince === null && (latest === undefined || at >= latest + rateMs)) sent.push(at);
		else pendingSince ??= at;
	}
	if (pendingSince !== null) sent.push(sent.at(-1)! + rateMs);
	return sent;
}

// Times are fractional milliseconds: `last + rateMs` minus `last` may come out a hair under
// `rateMs` in floating point, which would put two messages one rate apart in one window.
const EPSILON_MS = 1e-6;

/** The most messages any window of `windowMs` holds (one exactly `windowMs` later is outside). */
export function peakIn(times: readonly number[], windowMs: number): number {
	let peak = 0;
	for (let i = 0, j = 0; i < times.length; i++) {
		while (times[i] - times[j] >= windowMs - EPSILON_MS) j++;
		peak = Math.max(peak, i - j + 1);
	}
	return peak;
}
