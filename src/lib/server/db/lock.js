// A file-backed PGlite must be opened by one process only: two writers corrupt it.
// The owner writes its pid to DATA_DIR/.lock; a second process refuses while the owner lives.
// Plain JavaScript with no import of the app's own code, as pglite-worker.js: the app's bundle
// carries it, and server.js takes the lock with it (build/db/lock.js) when it opens the
// database while the bundle still loads.
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export class DataDirLockedError extends Error {
	/**
	 * @param {string} dataDir
	 * @param {number} pid
	 */
	constructor(dataDir, pid) {
		super(
			`The data folder ${dataDir} is in use by another Tongxing process (pid ${pid}). ` +
				'Stop that process first, or give this one its own DATA_DIR.'
		);
		this.name = 'DataDirLockedError';
		/** @readonly */
		this.dataDir = dataDir;
		/** @readonly */
		this.pid = pid;
	}
}

/** @param {number} pid */
function isAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (err) {
		// EPERM: the process exists but belongs to someone else.
		return /** @type {NodeJS.ErrnoException} */ (err).code === 'EPERM';
	}
}

/** @param {unknown} err */
const codeOf = (err) => /** @type {NodeJS.ErrnoException} */ (err).code;

/**
 * Takes the lock or throws `DataDirLockedError`; returns the function that releases it.
 * @param {string} dataDir
 * @returns {() => void}
 */
export function lockDataDir(dataDir) {
	const path = join(dataDir, '.lock');
	for (let attempt = 0; attempt < 3; attempt++) {
		try {
			const fd = openSync(path, 'wx');
			writeSync(fd, String(process.pid));
			closeSync(fd);
			let released = false;
			const release = () => {
				if (released) return;
				released = true;
				try {
					if (readFileSync(path, 'utf8').trim() === String(process.pid)) unlinkSync(path);
				} catch (err) {
					if (codeOf(err) !== 'ENOENT') throw err;
				}
			};
			process.once('exit', release);
			return release;
		} catch (err) {
			if (codeOf(err) !== 'EEXIST') throw err;
		}
		let owner = NaN;
		try {
			owner = Number(readFileSync(path, 'utf8').trim());
		} catch (err) {
			if (codeOf(err) === 'ENOENT') continue;
			throw err;
		}
		if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
			throw new DataDirLockedError(dataDir, owner);
		}
		// A stale lock left by a process that died without cleaning up.
		try {
			unlinkSync(path);
		} catch (err) {
			if (codeOf(err) !== 'ENOENT') throw err;
		}
	}
	throw new Error(`Could not lock ${dataDir}`);
}
