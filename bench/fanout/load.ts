// The load of the fan-out scenario: claims at a steady rate (over HTTP through the task board's
// claim form action with real sessions, or to the floor server), and board refetchers that do
// what a browser's LiveTopic does with each hint.
import { summary, type Summary } from './summary';
import type { ClaimRecord, Coverage } from './coverage';
import { hintBatcher } from '../../src/lib/realtime/hint-batcher';

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

export interface RefetchStats {
	requests: number;
	failed: number;
	/** Requests a browser would still have had queued when the phase ended. */
	dropped: number;
	/** The first few failures, for the notes. */
	errors: string[];
	/** Milliseconds from request to full body. */
	durations: number[];
}

/** What the task board's load depends on (`app:event:<id>:<kind>`). */
const BOARD_KINDS = new Set(['tasks', 'signups', 'groups']);

/** Chromium's limit of concurrent HTTP/1.1 connections per host; more requests wait. */
const BROWSER_CONNECTIONS_PER_HOST = 6;

/**
 * One browser tab on the task board, running LiveTopic's own hint batcher
 * (src/lib/realtime/hint-batcher.ts): the kinds of the hints are gathered and reloaded at most
 * once per 300 ms together, as one `invalidate` of the page's dependencies, which SvelteKit
 * turns into one request for the page's `__data.json`, marking only the page's own load (it
 * depends on tasks, signups and groups; the layouts above it do not) as invalidated. Requests are not awaited before the next
 * one, as SvelteKit does not wait either (a newer load supersedes an older one), but at most six
 * are in flight at once, as in a browser; the others wait their turn.
 */
export class Refetcher {
	active = false;
	readonly #hints = hintBatcher((kinds) => {
		if (kinds.some((kind) => BOARD_KINDS.has(kind))) this.#invalidate();
	}, 300);
	#inFlight = 0;
	#queued = 0;
	readonly #idle: (() => void)[] = [];
	readonly #url: string;

	constructor(
		origin: string,
		teamId: string,
		eventId: string,
		private readonly session: string,
		private readonly stats: RefetchStats,
		invalidatedMask: string
	) {
		this.#url = `${origin}/teams/${teamId}/events/${eventId}/tasks/__data.json?x-sveltekit-invalidated=${invalidatedMask}`;
	}

	onHint(hint: Record<string, unknown>): void {
		if (this.active) this.#hints.add(hint.kinds);
	}

	#invalidate(): void {
		this.#queued += 1;
		this.#next();
	}

	#next(): void {
		while (this.active && this.#queued > 0 && this.#inFlight < BROWSER_CONNECTIONS_PER_HOST) {
			this.#queued -= 1;
			this.#inFlight += 1;
			void this.#fetch().finally(() => {
				this.#inFlight -= 1;
				this.#next();
				if (this.#inFlight === 0) for (const done of this.#idle.splice(0)) done();
			});
		}
	}

	/** Stops refetching; resolves when the requests in flight have ended. */
	stop(): Promise<void> {
		this.active = false;
		this.#hints.close();
		this.stats.dropped += this.#queued;
		this.#queued = 0;
		if (this.#inFlight === 0) return Promise.resolve();
		return new Promise((resolve) => this.#idle.push(resolve));
	}

	async #fetch(): Promise<void> {
		const started = performance.now();
		this.stats.requests += 1;
		try {
			const res = await fetch(this.#url, {
				headers: { cookie: `session=${this.session}` },
				signal: AbortSignal.timeout(CLAIM_TIMEOUT_MS)
			});
			const body = await res.text();
			if (res.ok && body.includes('"type":"data"')) {
				this.stats.durations.push(performance.now() - started);
				return;
			}
			this.#failed(`${res.status} ${body.slice(0, 120)}`);
		} catch (err) {
			const cause = (err as { cause?: unknown }).cause;
			this.#failed(cause ? `${String(err)} (${String(cause)})` : String(err));
		}
	}

	#failed(error: string): void {
		this.stats.failed += 1;
		if (this.stats.errors.length < 3) this.stats.errors.push(error);
	}
}

export function refetchSummary(stats: RefetchStats, durationMs: number, clients: number) {
	const durations: Summary = summary(stats.durations);
	return {
		requestsPerSecond: stats.requests / (durationMs / 1000),
		perClientPerSecond: stats.requests / clients / (durationMs / 1000),
		failed: stats.failed,
		dropped: stats.dropped,
		errors: stats.errors,
		durations
	};
}
