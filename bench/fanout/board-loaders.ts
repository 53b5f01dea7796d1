// The fan-out scenario's board loaders (index.ts, its last phase), in a worker thread of their
// own: clients that load the task board back to back, each with its own session, while the
// main thread's 1,000 clients time the hints they receive. Before, the loaders ran on that main
// thread over undici's fetch: reading 50 boards of 80 KB at a time delayed the receipt of hints
// there, and that delay of the bench's own was counted as the server's. They use node:http
// (support/http.ts), which costs the shared cores less than fetch.
import { parentPort, workerData } from 'node:worker_threads';
import { request } from '../support/http';

export interface LoadersJob {
	origin: string;
	path: string;
	sessions: string[];
	timeoutMs: number;
}

export interface LoadersResult {
	durations: number[];
	failed: number;
	errors: string[];
	seconds: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function run(job: LoadersJob, stopped: Promise<void>): Promise<LoadersResult> {
	const durations: number[] = [];
	const errors = new Set<string>();
	let failed = 0;
	let running = true;
	void stopped.then(() => (running = false));
	const started = performance.now();
	const loops = job.sessions.map(async (session) => {
		while (running) {
			const at = performance.now();
			try {
				const res = await Promise.race([
					request(`${job.origin}${job.path}`, {
						headers: { cookie: `session=${session}`, accept: 'text/html' }
					}),
					sleep(job.timeoutMs).then(() => null)
				]);
				if (!res) {
					failed++;
					errors.add(`timed out after ${job.timeoutMs / 1000} s`);
				} else if (res.status === 200) durations.push(performance.now() - at);
				else {
					failed++;
					errors.add(`${res.status}`);
				}
			} catch (err) {
				failed++;
				errors.add(String(err));
			}
		}
	});
	return Promise.all(loops).then(() => ({
		durations,
		failed,
		errors: [...errors].slice(0, 3),
		seconds: (performance.now() - started) / 1000
	}));
}

// Started with the job; says it is ready once loaded (its code is not loaded during the
// measured phase), loads from 'start' until 'stop', then sends what it measured.
if (parentPort && workerData) {
	const port = parentPort;
	const job = workerData as LoadersJob;
	let stop: () => void = () => {};
	const stopped = new Promise<void>((resolve) => (stop = resolve));
	port.on('message', (message: 'start' | 'stop') => {
		if (message === 'stop') return stop();
		void run(job, stopped).then(
			(result) => port.postMessage({ kind: 'done', ...result }),
			(err: unknown) =>
				port.postMessage({
					kind: 'done',
					durations: [],
					failed: 1,
					errors: [`loaders: ${String(err)}`],
					seconds: 0
				})
		);
	});
	port.postMessage({ kind: 'ready' });
}
