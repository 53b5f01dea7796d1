// Embedded mode's PGlite, in a worker thread (pglite-thread.ts starts it). PGlite's WebAssembly
// runs each query synchronously on the thread that calls it; here that thread is this one, so
// the server's event loop (SSR, the realtime hub, hints) never waits while a query runs.
// Plain JavaScript with no import of the app's own code: it runs as it is, from the source in
// development and tests and from the build (copied beside the server's chunks).
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';

const port = /** @type {import('node:worker_threads').MessagePort} */ (parentPort);
const identity = (/** @type {unknown} */ value) => value;

/** An error as plain data: PostgreSQL's fields (code, detail, constraint...) included. */
function plainError(/** @type {unknown} */ err) {
	if (!(err instanceof Error)) return { name: 'Error', message: String(err), fields: {} };
	/** @type {Record<string, unknown>} */
	const fields = {};
	for (const [key, value] of Object.entries(err)) {
		if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) {
			fields[key] = value;
		}
	}
	return { name: err.name, message: err.message, stack: err.stack, fields };
}

/** Query options back from data: Drizzle's parsers are all "keep the text". */
function queryOptions(
	/** @type {{ rowMode?: 'array' | 'object', identityTypes?: number[] } | undefined} */ o
) {
	if (!o) return undefined;
	return {
		rowMode: o.rowMode,
		parsers: o.identityTypes
			? Object.fromEntries(o.identityTypes.map((type) => [type, identity]))
			: undefined
	};
}

/** @type {Map<number, { tx: import('@electric-sql/pglite').Transaction, finish: (commit: boolean) => void, done: Promise<unknown> }>} */
const transactions = new Map();
/** @type {Map<number, () => Promise<void>>} */
const listeners = new Map();

/** @param {import('@electric-sql/pglite').PGlite} pg */
async function answer(pg, /** @type {any} */ msg) {
	switch (msg.op) {
		case 'query': {
			const on = msg.tx ? transactions.get(msg.tx)?.tx : pg;
			if (!on) throw new Error('The transaction has ended.');
			return on.query(msg.sql, msg.params, queryOptions(msg.options));
		}
		case 'exec': {
			const on = msg.tx ? transactions.get(msg.tx)?.tx : pg;
			if (!on) throw new Error('The transaction has ended.');
			await on.exec(msg.sql);
			return null;
		}
		case 'begin':
			return new Promise((resolve, reject) => {
				let isOpen = false;
				/** @type {(commit: boolean) => void} */
				let finish = () => {};
				const body = new Promise((commit, rollback) => {
					finish = (isCommit) => (isCommit ? commit(undefined) : rollback(ROLLBACK));
				});
				const done = pg.transaction(async (tx) => {
					isOpen = true;
					transactions.set(msg.tx, { tx, finish, done });
					resolve(null);
					return body;
				});
				done.then(
					() => transactions.delete(msg.tx),
					(err) => {
						transactions.delete(msg.tx);
						if (!isOpen) reject(err);
					}
				);
			});
		case 'commit':
		case 'rollback': {
			const state = transactions.get(msg.tx);
			if (!state) throw new Error('The transaction has ended.');
			state.finish(msg.op === 'commit');
			try {
				await state.done;
			} catch (err) {
				if (err !== ROLLBACK) throw err;
			}
			return null;
		}
		case 'listen': {
			const unlisten = await pg.listen(msg.channel, (payload) =>
				port.postMessage({ type: 'notify', listener: msg.listener, payload })
			);
			listeners.set(msg.listener, unlisten);
			return null;
		}
		case 'unlisten': {
			const unlisten = listeners.get(msg.listener);
			listeners.delete(msg.listener);
			await unlisten?.();
			return null;
		}
		case 'close':
			if (!pg.closed) await pg.close();
			return null;
		default:
			throw new Error(`unknown operation ${msg.op}`);
	}
}

const ROLLBACK = Symbol('rollback');

// PGlite opens the folder at once; the thread's owner learns the outcome when it says hello.
// So the worker may be started before anyone listens to it: server.js starts it while the
// server's bundle loads, and the bundle's PgliteThread takes it over (pglite-thread.ts).
/** @type {Promise<{ pg: import('@electric-sql/pglite').PGlite } | { failure: unknown }>} */
const opened = PGlite.create(workerData.dataDir).then(
	(pg) => ({ pg }),
	(failure) => ({ failure })
);

port.on('message', async (msg) => {
	const outcome = await opened;
	if (msg.op === 'hello') {
		port.postMessage(
			'pg' in outcome ? { type: 'ready' } : { type: 'failed', error: plainError(outcome.failure) }
		);
		return;
	}
	if (!('pg' in outcome)) {
		port.postMessage({ type: 'error', id: msg.id, error: plainError(outcome.failure) });
		return;
	}
	answer(outcome.pg, msg).then(
		(result) => port.postMessage({ type: 'result', id: msg.id, result }),
		(err) => port.postMessage({ type: 'error', id: msg.id, error: plainError(err) })
	);
});
