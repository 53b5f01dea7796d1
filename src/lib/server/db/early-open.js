// Embedded mode opens its data folder while the server's bundle loads. Loading the bundle
// (about half a second of one core) and PGlite opening the folder in its worker (more than
// that, on the other core) used to run one after the other on every restart: server.js now
// takes the folder's lock and starts the worker first (`openEarly`), and the bundle's
// openDatabase takes both over (`takeEarlyOpen`). Only a folder that already holds a cluster
// is opened early: a first start copies the build's snapshot first, which the bundle does.
// Plain JavaScript with no import of the app's own code but lock.js: server.js runs it from the
// build (build/db/, copied by scripts/build-snapshot.ts). The two sides meet on a globalThis
// symbol, as server.js and the bundle already do for the realtime hub.
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { dataDirOf } from './data-dir.js';
import { Worker } from 'node:worker_threads';
import { lockDataDir } from './lock.js';

const EARLY = Symbol.for('tongxing.early-db');

/**
 * @typedef {object} EarlyOpen
 * @property {string} pgdata The cluster's folder the worker opens.
 * @property {Worker} worker
 * @property {() => void} release Releases the data folder's lock.
 * @property {boolean} exited
 */

/**
 * Starts opening `dataDir`'s cluster in a PGlite worker, holding the folder's lock. Does
 * nothing when the folder holds no cluster yet or another process has it: the bundle then
 * opens it as before, and says why it cannot.
 * @param {{ dataDir: string | undefined, workerFile: string | URL }} options DATA_DIR as the
 *   environment has it (env.ts reads it the same way)
 * @returns {boolean} whether the open has started
 */
export function openEarly({ dataDir, workerFile }) {
	const folder = dataDirOf(dataDir);
	const pgdata = join(folder, 'pgdata');
	if (!existsSync(pgdata) || readdirSync(pgdata).length === 0) return false;
	let release;
	try {
		release = lockDataDir(folder);
	} catch {
		return false;
	}
	const worker = new Worker(workerFile, { workerData: { dataDir: pgdata } });
	/** @type {EarlyOpen} */
	const early = { pgdata, worker, release, exited: false };
	// Until the bundle takes it over, its failures wait here (they would end the process).
	worker.on('error', () => {});
	worker.once('exit', () => {
		early.exited = true;
	});
	/** @type {Record<symbol, unknown>} */ (globalThis)[EARLY] = early;
	return true;
}

/**
 * The early open of `pgdata`, once: its worker and its lock's release. An early open of another
 * folder, or whose worker has stopped, is ended and not used.
 * @param {string} pgdata
 * @returns {Promise<{ worker: Worker, release: () => void } | undefined>}
 */
export async function takeEarlyOpen(pgdata) {
	const registry = /** @type {Record<symbol, EarlyOpen | undefined>} */ (globalThis);
	const early = registry[EARLY];
	if (!early) return undefined;
	registry[EARLY] = undefined;
	if (early.pgdata === resolve(pgdata) && !early.exited) {
		return { worker: early.worker, release: early.release };
	}
	await early.worker.terminate();
	early.release();
	return undefined;
}
