// Which client received a hint covering which claim, and when. A claim publishes
// `{kinds: ['tasks', 'signups'], ids: [taskId], counts: {taken, capacity, waiting}}` on the event's
// topic, and hints arriving within 50 ms of one another are merged (union of ids, the last one's
// counts), so coverage is counted per task, not per message: each client keeps, per task, how
// many of its claims it has heard of. A hint naming only that task raises the level to its
// `counts.taken` (tasks start empty in a phase and never fill, so `taken` numbers the claims);
// a hint naming several tasks raises each by one. A client covered claim k (the n-th on its task)
// when its level for the task first reached n. Claims on one task are spaced a second or more
// apart, so two of them never share a merge window unless the server stalls; then the count is
// conservative (a shortfall shows as lost, never a loss as received).
import { summarize, type Summary } from '../lib/stats';

export interface ClaimRecord {
	userId: string;
	/** 1-based: the n-th claim of the phase on its task. */
	seq: number;
	taskId: string;
	/** performance.now() when the request was sent. */
	sentAt: number;
	/** When the response arrived (the commit happened before it); NaN until then. */
	answeredAt: number;
	/** When the bench's own LISTEN heard the claim's NOTIFY (postgres mode only); else NaN. */
	notifiedAt: number;
	ok: boolean;
	error?: string;
}

export interface CoverageResult {
	claims: number;
	claimsOk: number;
	errors: string[];
	/** Client×claim pairs whose hint never arrived. */
	lost: number;
	/** Claims that at least one client never heard of. */
	claimsMissed: number;
	/** Receipt minus response arrival, floored at 0 (see `beforeResponse`). */
	latency: Summary;
	/** Share of receipts that came before the claim's response did. */
	beforeResponse: number;
	/** Receipt minus request sent: an upper bound of commit-to-receipt. */
	sentToReceipt: Summary;
	/** Receipt minus the bench's own LISTEN hearing the NOTIFY (postgres mode). */
	notifyToReceipt: Summary | null;
	/** Hint messages received per client per second, averaged. */
	messagesPerClientPerSecond: number;
}

/**
 * The `taken` a hint gives for `taskId`: the app's hints carry counts per task
 * (`counts: {<task id>: {taken, …}}`), the floor's the one task's (`counts: {taken, …}`).
 */
function takenOf(hint: Record<string, unknown>, taskId: string): number | undefined {
	const counts = hint.counts as Record<string, unknown> | undefined;
	const own = counts?.[taskId] as { taken?: unknown } | undefined;
	const taken = own?.taken ?? counts?.taken;
	return typeof taken === 'number' ? taken : undefined;
}

export class Coverage {
	readonly claims: ClaimRecord[] = [];
	/** Claim indexes per task, in sending order. */
	readonly #byTask = new Map<string, number[]>();
	/** Per task, per client: how many of the task's claims the client has heard of. */
	readonly #levels = new Map<string, Int32Array>();
	readonly #receipts: Float64Array;
	#messages = 0;

	constructor(
		readonly clients: number,
		readonly maxClaims: number
	) {
		this.#receipts = new Float64Array(clients * maxClaims).fill(Number.NaN);
	}

	/** Registers a claim before its request goes out, so an early hint still finds it. */
	add(userId: string, taskId: string): ClaimRecord {
		if (this.claims.length >= this.maxClaims) throw new RangeError('more claims than planned');
		let onTask = this.#byTask.get(taskId);
		if (!onTask) {
			onTask = [];
			this.#byTask.set(taskId, onTask);
			this.#levels.set(taskId, new Int32Array(this.clients));
		}
		onTask.push(this.claims.length);
		const record: ClaimRecord = {
			userId,
			seq: onTask.length,
			taskId,
			sentAt: performance.now(),
			answeredAt: Number.NaN,
			notifiedAt: Number.NaN,
			ok: false
		};
		this.claims.push(record);
		return record;
	}

	/** The bench's own LISTEN (postgres mode): the earliest moment the commit is observable. */
	notified(hint: Record<string, unknown>, at: number): void {
		const ids = Array.isArray(hint.ids) ? (hint.ids as string[]) : [];
		for (const id of ids) {
			const onTask = this.#byTask.get(id);
			if (!onTask) continue;
			// PostgreSQL does not merge: one NOTIFY per claim, `taken` numbering it.
			const taken = takenOf(hint, id);
			const k = taken !== undefined && ids.length === 1 ? onTask[taken - 1] : undefined;
			if (k !== undefined && Number.isNaN(this.claims[k].notifiedAt))
				this.claims[k].notifiedAt = at;
		}
	}

	record(client: number, hint: Record<string, unknown>, at: number): void {
		this.#messages += 1;
		if (!Array.isArray(hint.ids)) {
			// "All of these kinds": every claim sent so far.
			for (const [taskId, onTask] of this.#byTask) this.#raise(client, taskId, onTask.length, at);
			return;
		}
		const ids = hint.ids as string[];
		for (const taskId of ids) {
			const levels = this.#levels.get(taskId);
			if (!levels) continue;
			const next = levels[client] + 1;
			// A merged hint's counts are each task's newest: they number its claims, too.
			const taken = takenOf(hint, taskId);
			const to = taken !== undefined ? Math.max(next, taken) : next;
			this.#raise(client, taskId, to, at);
		}
	}

	#raise(client: number, taskId: string, to: number, at: number): void {
		const onTask = this.#byTask.get(taskId);
		const levels = this.#levels.get(taskId);
		if (!onTask || !levels) return;
		const level = Math.min(to, onTask.length);
		for (let n = levels[client] + 1; n <= level; n++) {
			const slot = onTask[n - 1] * this.clients + client;
			if (Number.isNaN(this.#receipts[slot])) this.#receipts[slot] = at;
		}
		if (level > levels[client]) levels[client] = level;
	}

	/** True once every client has a receipt for every answered claim. */
	complete(): boolean {
		for (let k = 0; k < this.claims.length; k++) {
			if (!this.claims[k].ok) continue;
			for (let c = 0; c < this.clients; c++) {
				if (Number.isNaN(this.#receipts[k * this.clients + c])) return false;
			}
		}
		return true;
	}

	result(durationMs: number): CoverageResult {
		const latency: number[] = [];
		const sentToReceipt: number[] = [];
		const notifyToReceipt: number[] = [];
		let lost = 0;
		let claimsMissed = 0;
		let early = 0;
		const errors: string[] = [];
		for (let k = 0; k < this.claims.length; k++) {
			const claim = this.claims[k];
			if (!claim.ok) {
				if (errors.length < 5) errors.push(claim.error ?? 'failed');
				continue;
			}
			let missed = false;
			for (let c = 0; c < this.clients; c++) {
				const at = this.#receipts[k * this.clients + c];
				if (Number.isNaN(at)) {
					lost += 1;
					missed = true;
					continue;
				}
				const fromAnswer = at - claim.answeredAt;
				if (fromAnswer < 0) early += 1;
				latency.push(Math.max(0, fromAnswer));
				sentToReceipt.push(at - claim.sentAt);
				if (!Number.isNaN(claim.notifiedAt)) notifyToReceipt.push(at - claim.notifiedAt);
			}
			if (missed) claimsMissed += 1;
		}
		return {
			claims: this.claims.length,
			claimsOk: this.claims.filter((c) => c.ok).length,
			errors,
			lost,
			claimsMissed,
			latency: summarize(latency),
			beforeResponse: latency.length ? early / latency.length : 0,
			sentToReceipt: summarize(sentToReceipt),
			notifyToReceipt: notifyToReceipt.length ? summarize(notifyToReceipt) : null,
			messagesPerClientPerSecond: this.#messages / this.clients / (durationMs / 1000)
		};
	}
}
