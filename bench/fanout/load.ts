// The load of the fan-out scenario: claims at a steady rate (over HTTP through the task board's
// claim form action with real sessions, or to the floor server).
import type { ClaimRecord, Coverage } from './coverage';

export interface Claimer {
	id: string;
	session?: string;
}

/** Sends one claim; resolves when its response has arrived (answeredAt set by the caller). */
export type Fire = (claimer: Claimer, taskId: string, record: ClaimRecord) => Promise<void>;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, Math.max(0, ms)));

/**
 * `rate` claims per second for `durationMs`, on a fixed schedule (a late claim does not delay
 * the next ones), each by the next claimer on the next task of `taskIds`.
 */
export async function runClaims(options: {
	rate: number;
	durationMs: number;
	claimers: readonly Claimer[];
	taskIds: readonly string[];
	coverage: Coverage;
	fire: Fire;
	/** Called when the last claim has been sent, before waiting for the responses. */
	onSent?: () => void;
}): Promise<void> {
	const count = Math.round((options.rate * options.durationMs) / 1000);
	if (count > options.claimers.length) throw new RangeError('not enough claimers');
	const interval = 1000 / options.rate;
	const start = performance.now();
	const pending: Promise<void>[] = [];
	for (let i = 0; i < count; i++) {
		await sleep(start + i * interval - performance.now());
		const claimer = options.claimers[i];
		const taskId = options.taskIds[i % options.taskIds.length];
		const record = options.coverage.add(claimer.id, taskId);
		pending.push(
			options.fire(claimer, taskId, record).catch((err: unknown) => {
				const cause = (err as { cause?: unknown }).cause;
				record.ok = false;
				record.error = cause ? `${String(err)} (${String(cause)})` : String(err);
			})
		);
	}
	options.onSent?.();
	await Promise.all(pending);
}

/** A claim still unanswered after this long counts as failed (an overloaded server). */
export const CLAIM_TIMEOUT_MS = 15_000;

/** A claim through the task board's `?/claim` form action, as `use:enhance` posts it. */
export function appClaim(origin: string, teamId: string, eventId: string): Fire {
	const url = `${origin}/teams/${teamId}/events/${eventId}/tasks?/claim`;
	return async (claimer, taskId, record) => {
		const res = await fetch(url, {
			method: 'POST',
			headers: {
				accept: 'application/json',
				'content-type': 'application/x-www-form-urlencoded',
				'x-sveltekit-action': 'true',
				origin,
				cookie: `session=${claimer.session}`
			},
			body: new URLSearchParams({ taskId, key: crypto.randomUUID() }).toString(),
			signal: AbortSignal.timeout(CLAIM_TIMEOUT_MS)
		});
		record.answeredAt = performance.now();
		const body = await res.text();
		// SvelteKit answers an action with {type: 'success' | 'failure' | ...}.
		record.ok = res.ok && body.startsWith('{"type":"success"');
		if (!record.ok) record.error = `${res.status} ${body.slice(0, 200)}`;
	};
}

/** The floor's claim: the same hint (same ids and counts) handed to the plain ws server. */
export function floorClaim(floorOrigin: string, eventId: string, capacity: number): Fire {
	const taken = new Map<string, number>();
	return async (_claimer, taskId, record) => {
		const n = (taken.get(taskId) ?? 0) + 1;
		taken.set(taskId, n);
		const payload = {
			kinds: ['tasks', 'signups'],
			ids: [taskId],
			counts: { taken: n, capacity, waiting: 0 }
		};
		const res = await fetch(`${floorOrigin}/send`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ topic: `event:${eventId}`, payload })
		});
		record.answeredAt = performance.now();
		await res.arrayBuffer();
		record.ok = res.status === 204;
		if (!record.ok) record.error = `floor answered ${res.status}`;
	};
}
