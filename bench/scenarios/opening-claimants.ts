// The claimants of the sign-up opening (opening.ts), in a worker thread of their own: each
// claimant is a phone of its own, so its answer time must not include the time the bench
// spends running the 1,000 watching phones' live boards on the main thread (before, the main
// thread's backlog of hint frames delayed the claims' own sends and answers by hundreds of
// milliseconds in the busiest second). The worker shares the machine's cores with everything
// else; only the event loop is its own.
//
// Times cross the thread boundary as epoch milliseconds (`performance.timeOrigin` + `now()`),
// since each thread's `performance.now()` counts from its own start.
import { parentPort, workerData } from 'node:worker_threads';
import { postAction, request } from '../support/http';

export interface ClaimantsJob {
	origin: string;
	/** The claim action's path, `…/tasks?/claim`. */
	path: string;
	/** Epoch ms of the storm's start. */
	startAt: number;
	/** One session token per claimant, in claim order. */
	tokens: string[];
	taskIds: string[];
	firstSecond: number;
	durationMs: number;
	timeoutMs: number;
}

export interface ClaimAnswer {
	task: string;
	/** Epoch ms. */
	sentAt: number;
	answeredAt: number;
}

export interface ClaimantsResult {
	claims: ClaimAnswer[];
	failures: string[];
}

/**
 * Sent to the main thread as each claim is answered: the claimant's own board applies the
 * action's answer (as the page's claim form does, `LiveBoard.applyOwn`).
 */
export interface OwnAnswer {
	kind: 'answer';
	/** The claimant's index in `tokens`. */
	index: number;
	data: unknown;
}

const epoch = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/** When claim `i` is sent: `firstSecond` of them over the first second, the rest evenly after. */
export function claimOffset(i: number, count: number, firstSecond: number, durationMs: number) {
	if (i < firstSecond) return (i / firstSecond) * 1_000;
	return 1_000 + ((i - firstSecond) / Math.max(1, count - firstSecond)) * (durationMs - 1_000);
}

async function run(job: ClaimantsJob): Promise<ClaimantsResult> {
	const claims: ClaimAnswer[] = [];
	const failures: string[] = [];
	await Promise.all(
		job.tokens.map(async (token, i) => {
			await sleep(
				job.startAt + claimOffset(i, job.tokens.length, job.firstSecond, job.durationMs) - epoch()
			);
			const task = job.taskIds[i % job.taskIds.length];
			const sentAt = epoch();
			try {
				const outcome = await Promise.race([
					postAction(job.origin, job.path, token, { taskId: task, key: crypto.randomUUID() }),
					sleep(job.timeoutMs).then(() => null)
				]);
				const answeredAt = epoch();
				if (!outcome) failures.push(`timed out after ${job.timeoutMs / 1000} s`);
				else if (outcome.type !== 'success') failures.push(`${outcome.status} ${outcome.type}`);
				else {
					claims.push({ task, sentAt, answeredAt });
					parentPort?.postMessage({
						kind: 'answer',
						index: i,
						data: outcome.data
					} satisfies OwnAnswer);
				}
			} catch (err) {
				failures.push(String(err));
			}
		})
	);
	return { claims, failures };
}

// Started with the server's origin: loads what a claim needs (this module, node:http) with one
// request to the health route, says it is ready, then runs the job it is given.
if (parentPort && typeof workerData === 'string') {
	const port = parentPort;
	void request(`${workerData}/api/health`)
		.catch(() => undefined)
		.then(() => port.postMessage({ kind: 'ready' }));
	port.once('message', (job: ClaimantsJob) => {
		void run(job).then(
			(result) => port.postMessage({ kind: 'done', ...result }),
			(err: unknown) =>
				port.postMessage({ kind: 'done', claims: [], failures: [`claimants: ${String(err)}`] })
		);
	});
}
