// Starts the built app (`node server.js`, after `npm run build`) in its own process, in
// embedded or postgres mode, with a raised open-files limit, and waits for /api/health.
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

export interface ServerOptions {
	port: number;
	/** PGlite data folder (embedded mode). */
	dataDir?: string;
	/** PostgreSQL URL (postgres mode). */
	databaseUrl?: string;
	/** Extra environment, e.g. realtime limits raised for a benchmark. */
	env?: Record<string, string>;
	/** Open-files limit for the server process (`ulimit -n`). */
	openFiles?: number;
	log?: (line: string) => void;
}

export interface RunningServer {
	origin: string;
	process: ChildProcess;
	/** Milliseconds from spawn to the first healthy answer. */
	startMs: number;
	stop(signal?: NodeJS.Signals): Promise<void>;
}

const root = resolve(import.meta.dirname, '../..');

export async function startServer(options: ServerOptions): Promise<RunningServer> {
	const origin = `http://localhost:${options.port}`;
	const env: Record<string, string> = {
		...(process.env as Record<string, string>),
		PORT: String(options.port),
		HOST: '127.0.0.1',
		ORIGIN: origin,
		...options.env
	};
	delete env.DATABASE_URL;
	delete env.DATA_DIR;
	if (options.databaseUrl) env.DATABASE_URL = options.databaseUrl;
	if (options.dataDir) env.DATA_DIR = options.dataDir;
	const openFiles = options.openFiles ?? 65_536;
	const started = performance.now();
	// `ulimit -n` only raises up to the hard limit; keep going with what is allowed.
	const child = spawn('sh', ['-c', `ulimit -n ${openFiles} 2>/dev/null; exec node server.js`], {
		cwd: root,
		env,
		stdio: ['ignore', 'pipe', 'pipe']
	});
	const output: string[] = [];
	const keep = (chunk: Buffer) => {
		const text = chunk.toString();
		output.push(text);
		if (output.length > 200) output.shift();
		options.log?.(text.trimEnd());
	};
	child.stdout?.on('data', keep);
	child.stderr?.on('data', keep);
	const exited = new Promise<void>((done) => child.once('exit', () => done()));

	const deadline = Date.now() + 60_000;
	for (;;) {
		if (child.exitCode !== null) {
			throw new Error(`server exited with ${child.exitCode}:\n${output.join('')}`);
		}
		try {
			const res = await fetch(`${origin}/api/health`);
			if (res.ok) break;
		} catch {
			// not listening yet
		}
		if (Date.now() > deadline) {
			child.kill('SIGKILL');
			throw new Error(`server did not become healthy in 60 s:\n${output.join('')}`);
		}
		await new Promise((r) => setTimeout(r, 25));
	}
	const startMs = performance.now() - started;

	return {
		origin,
		process: child,
		startMs,
		async stop(signal = 'SIGTERM') {
			if (child.exitCode === null && child.signalCode === null) child.kill(signal);
			await exited;
		}
	};
}
