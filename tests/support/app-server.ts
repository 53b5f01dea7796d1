// The one spawner of the built app (`node server.js`, after `npm run build`) for the e2e specs
// and the benchmarks: its own process on a port, embedded (a data folder, fresh by default) or
// postgres (a database URL), waiting for /api/health. It lives under tests/ beside the
// factories, which the benchmarks already import; nothing here depends on Playwright.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export interface AppOptions {
	port: number;
	/** PGlite data folder (embedded mode); a fresh one when neither this nor a URL is given. */
	dataDir?: string;
	/** PostgreSQL URL (postgres mode). */
	databaseUrl?: string;
	/** Extra environment, applied last (it may override anything above). */
	env?: Record<string, string>;
	/** HOST to listen on (the server's default when not given). */
	host?: string;
	/** Open-files limit for the server process (`ulimit -n`, up to the hard limit). */
	openFiles?: number;
	/** What of the server's output reaches this process's own (default: all). */
	echo?: 'all' | 'errors' | 'none';
	/** Every chunk of the server's output, as text. */
	log?: (text: string) => void;
	/** How long to wait for the first healthy answer (default 90 s). */
	healthTimeoutMs?: number;
}

export interface SpawnedApp {
	origin: string;
	process: ChildProcess;
	/** The exit code (null when ended by a signal), once the process has exited. */
	exited: Promise<number | null>;
	/** The last 200 chunks of the server's output. */
	output(): string;
}

export interface RunningApp extends SpawnedApp {
	/** Milliseconds from spawn to the first healthy answer. */
	startMs: number;
	/** Ends the process with `signal` (SIGTERM by default) and waits for it to exit. */
	stop(signal?: NodeJS.Signals): Promise<void>;
}

const root = resolve(import.meta.dirname, '../..');

/** Starts the server without waiting for it (for a start that is meant to fail). */
export function spawnApp(options: AppOptions): SpawnedApp {
	const origin = `http://localhost:${options.port}`;
	const env: Record<string, string | undefined> = {
		...process.env,
		PORT: String(options.port),
		ORIGIN: origin,
		TONGXING_TEST_HOOKS: ''
	};
	if (options.host) env.HOST = options.host;
	env.DATABASE_URL = options.databaseUrl ?? '';
	if (options.dataDir) env.DATA_DIR = options.dataDir;
	else if (options.databaseUrl) delete env.DATA_DIR;
	else env.DATA_DIR = mkdtempSync(join(tmpdir(), 'tongxing-server-'));
	Object.assign(env, options.env);

	// With `exec` the shell becomes the server: the pid (which embedded mode writes into its lock
	// file) is the server's own.
	const child = options.openFiles
		? spawn(
				'sh',
				['-c', `ulimit -n ${options.openFiles} 2>/dev/null; exec "$0" server.js`, process.execPath],
				{ cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] }
			)
		: spawn(process.execPath, ['server.js'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
	const echo = options.echo ?? 'all';
	const tail: string[] = [];
	const keep = (to: NodeJS.WriteStream | null) => (chunk: Buffer) => {
		const text = chunk.toString();
		tail.push(text);
		if (tail.length > 200) tail.shift();
		options.log?.(text);
		to?.write(chunk);
	};
	child.stdout!.on('data', keep(echo === 'all' ? process.stdout : null));
	child.stderr!.on('data', keep(echo === 'none' ? null : process.stderr));
	const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
	return { origin, process: child, exited, output: () => tail.join('') };
}

/** Starts the server and waits until /api/health answers; throws with its output if it cannot. */
export async function startApp(options: AppOptions): Promise<RunningApp> {
	const started = performance.now();
	const app = spawnApp(options);
	const child = app.process;
	const timeoutMs = options.healthTimeoutMs ?? 90_000;
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (child.exitCode !== null) {
			throw new Error(`the server on ${options.port} exited (${child.exitCode}):\n${app.output()}`);
		}
		const isHealthy = await fetch(`${app.origin}/api/health`).then(
			(r) => r.ok,
			() => false
		);
		if (isHealthy) break;
		if (Date.now() > deadline) {
			child.kill('SIGKILL');
			throw new Error(
				`the server on ${options.port} was not healthy in ${timeoutMs / 1000} s:\n${app.output()}`
			);
		}
		await new Promise((r) => setTimeout(r, 25));
	}
	return {
		...app,
		startMs: performance.now() - started,
		async stop(signal = 'SIGTERM') {
			if (child.exitCode === null && child.signalCode === null) child.kill(signal);
			await app.exited;
		}
	};
}

/** Stops a server that may not have started or may have exited already. */
export async function stopApp(app: RunningApp | undefined): Promise<void> {
	await app?.stop();
}
