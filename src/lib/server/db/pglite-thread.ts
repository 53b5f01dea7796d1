// The main thread's side of embedded mode's PGlite worker (pglite-worker.js): the part of
// PGlite's API that Drizzle and openPglite use (query, exec, transaction, listen, close),
// each call a message to the worker and its answer a message back. PGlite itself runs there,
// so a query, however long, never holds up this thread. Order and isolation are PGlite's own:
// it still has one connection, and a transaction holds it until it ends, as in-process.
import { Worker } from 'node:worker_threads';
import type { PGlite, Results, Transaction } from '@electric-sql/pglite';

type QueryOptions = {
	rowMode?: 'array' | 'object';
	parsers?: Record<number, (v: string) => unknown>;
};

interface PlainError {
	name: string;
	message: string;
	stack?: string;
	fields: Record<string, unknown>;
}

/** An error from the worker as the caller would have had it in-process: code, detail... */
function revive(error: PlainError): Error {
	const err = new Error(error.message) as Error & Record<string, unknown>;
	err.name = error.name;
	Object.assign(err, error.fields);
	if (error.stack) err.stack = error.stack;
	return err;
}

const PROBE = '2026-01-01 00:00:00+00';

/**
 * The worker's script. The server's bundle does not carry it (Vite leaves the file alone):
 * `npm run build` copies it to build/pglite-worker.js and server.js names it in
 * TONGXING_PGLITE_WORKER; from the sources (vite dev, tests, scripts) it sits beside this file.
 */
export const WORKER_BUILD_FILE = 'build/pglite-worker.js';

function workerFile(): URL | string {
	return process.env.TONGXING_PGLITE_WORKER || new URL('./pglite-worker.js', import.meta.url);
}

/**
 * Functions cannot cross to the worker. Drizzle's only parsers keep PostgreSQL's text (dates,
 * intervals, numeric arrays): they go across as the list of their types.
 */
function plainOptions(options: QueryOptions | undefined) {
	if (!options) return undefined;
	const parsers = options.parsers ?? {};
	const identityTypes = Object.keys(parsers).map(Number);
	for (const type of identityTypes) {
		if (parsers[type](PROBE) !== PROBE) {
			throw new Error(`PGlite worker: a parser for type ${type} that changes the value`);
		}
	}
	return { rowMode: options.rowMode, identityTypes };
}

export class PgliteThread {
	readonly #worker: Worker;
	readonly #pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
	readonly #listeners = new Map<number, (payload: string) => void>();
	#next = 1;
	#closed = false;
	#failure: Error | undefined;

	private constructor(worker: Worker) {
		this.#worker = worker;
		worker.on('message', (msg: Message) => this.#receive(msg));
		worker.on('error', (err) => this.#fail(err));
		worker.on('exit', (code) => {
			const err = new Error(`The embedded database's thread stopped (exit code ${code}).`);
			// Every query from now on fails (health answers 503); a restart opens the folder again.
			if (!this.#closed) console.error(`[db] ${err.message}`);
			this.#fail(err);
		});
	}

	/**
	 * Starts the worker and opens the data folder there (initdb when it is empty), or takes over
	 * `started`, a worker already opening it (server.js's early open, early-open.js).
	 */
	static async open(dataDir: string, started?: Worker): Promise<PgliteThread> {
		const worker = started ?? new Worker(workerFile(), { workerData: { dataDir } });
		await new Promise<void>((resolve, reject) => {
			const onMessage = (msg: Message) => {
				if (msg.type === 'ready') {
					cleanup();
					resolve();
				} else if (msg.type === 'failed') {
					cleanup();
					reject(revive(msg.error));
				}
			};
			const onError = (err: Error) => {
				cleanup();
				reject(err);
			};
			const onExit = (code: number) => {
				cleanup();
				reject(
					new Error(`The embedded database's thread stopped while opening (exit code ${code}).`)
				);
			};
			const cleanup = () => {
				worker.off('message', onMessage);
				worker.off('error', onError);
				worker.off('exit', onExit);
			};
			worker.on('message', onMessage);
			worker.on('error', onError);
			worker.on('exit', onExit);
			// The worker answers once PGlite has opened the folder (at once if it already has).
			worker.postMessage({ op: 'hello' });
		}).catch(async (err: unknown) => {
			await worker.terminate();
			throw err;
		});
		return new PgliteThread(worker);
	}

	get closed(): boolean {
		return this.#closed;
	}

	#receive(msg: Message): void {
		if (msg.type === 'notify') {
			this.#listeners.get(msg.listener)?.(msg.payload);
			return;
		}
		if (msg.type !== 'result' && msg.type !== 'error') return;
		const pending = this.#pending.get(msg.id);
		if (!pending) return;
		this.#pending.delete(msg.id);
		if (msg.type === 'result') pending.resolve(msg.result);
		else pending.reject(revive(msg.error));
	}

	#fail(err: Error): void {
		if (!this.#closed) this.#failure ??= err;
		this.#closed = true;
		for (const pending of this.#pending.values()) pending.reject(this.#failure ?? err);
		this.#pending.clear();
	}

	#call<T>(msg: Record<string, unknown>): Promise<T> {
		if (this.#closed) {
			return Promise.reject(this.#failure ?? new Error('The embedded database is closed.'));
		}
		const id = this.#next++;
		return new Promise<T>((resolve, reject) => {
			this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
			this.#worker.postMessage({ ...msg, id });
		});
	}

	query<T>(
		sql: string,
		params?: unknown[],
		options?: QueryOptions,
		tx?: number
	): Promise<Results<T>> {
		return this.#call({ op: 'query', sql, params, options: plainOptions(options), tx });
	}

	async exec(sql: string, tx?: number): Promise<Results[]> {
		await this.#call({ op: 'exec', sql, tx });
		return [];
	}

	/** As PGlite's: commits when `fn` resolves, rolls back when it throws. */
	async transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
		const id = this.#next++;
		await this.#call({ op: 'begin', tx: id });
		let isOpen = true;
		const tx = {
			query: <R>(sql: string, params?: unknown[], options?: QueryOptions) =>
				this.query<R>(sql, params, options, id),
			sql: () => {
				throw new Error('PGlite worker: tagged-template queries are not supported');
			},
			exec: (sql: string) => this.exec(sql, id),
			rollback: async () => {
				if (!isOpen) return;
				isOpen = false;
				await this.#call({ op: 'rollback', tx: id });
			},
			listen: () => {
				throw new Error('PGlite worker: LISTEN inside a transaction is not supported');
			},
			get closed() {
				return !isOpen;
			}
		} as unknown as Transaction;
		let result: T;
		try {
			result = await fn(tx);
		} catch (err) {
			if (isOpen) {
				isOpen = false;
				await this.#call({ op: 'rollback', tx: id });
			}
			throw err;
		}
		if (isOpen) {
			isOpen = false;
			await this.#call({ op: 'commit', tx: id });
		}
		return result;
	}

	async listen(
		channel: string,
		onPayload: (payload: string) => void
	): Promise<() => Promise<void>> {
		const listener = this.#next++;
		this.#listeners.set(listener, onPayload);
		try {
			await this.#call({ op: 'listen', channel, listener });
		} catch (err) {
			this.#listeners.delete(listener);
			throw err;
		}
		return async () => {
			if (!this.#listeners.delete(listener) || this.#closed) return;
			await this.#call({ op: 'unlisten', listener });
		};
	}

	/** Closes PGlite (a clean shutdown: checkpoint and all) and stops the thread. */
	async close(): Promise<void> {
		if (this.#closed) return;
		try {
			await this.#call({ op: 'close' });
		} finally {
			this.#closed = true;
			this.#failure = new Error('The embedded database is closed.');
			await this.#worker.terminate();
		}
	}

	/** What openPglite and Drizzle's PGlite driver take. */
	asPglite(): PGlite {
		return this as unknown as PGlite;
	}
}

type Message =
	| { type: 'ready' }
	| { type: 'failed'; error: PlainError }
	| { type: 'notify'; listener: number; payload: string }
	| { type: 'result'; id: number; result: unknown }
	| { type: 'error'; id: number; error: PlainError };
