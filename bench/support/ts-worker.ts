// A worker thread running one of the bench's TypeScript modules. The bench runs under tsx, whose
// loader a worker does not inherit: the worker registers it first, then imports the module.
import { Worker } from 'node:worker_threads';

export function tsWorker(module: URL, workerData: unknown): Worker {
	return new Worker(
		`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(module.href)}); });`,
		{ eval: true, workerData }
	);
}
