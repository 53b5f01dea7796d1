// Ports and server settings shared by the scenarios of this folder.
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startApp, type AppOptions, type RunningApp } from '../../tests/support/app-server';
import type { BenchOptions } from '../lib/types';

/** First of seven ports (BENCH_PORT, default 4250), so that runs side by side need not collide. */
const BASE_PORT = Number(process.env.BENCH_PORT ?? 4250);

/** One port per scenario, so a server still closing never blocks the next one. */
export const PORTS = {
	storm: BASE_PORT,
	speedEmbedded: BASE_PORT + 1,
	speedPostgres: BASE_PORT + 2,
	weight: BASE_PORT + 3,
	startup: BASE_PORT + 4,
	openingPostgres: BASE_PORT + 5,
	openingEmbedded: BASE_PORT + 6
} as const;

/**
 * The realtime endpoint's per-instance limits, raised far above what a benchmark opens so that
 * none of them shapes a result (defaults: 10,000 sockets, 50 per user, 20 joins/s, 100
 * channels per socket).
 */
export const REALTIME_LIMITS: Record<string, string> = {
	REALTIME_MAX_CONNECTIONS: '100000',
	REALTIME_MAX_CONNECTIONS_PER_USER: '10000',
	REALTIME_MAX_JOINS_PER_SECOND: '1000',
	REALTIME_MAX_CHANNELS_PER_CONNECTION: '1000'
};

/** Server output only when asked for (BENCH_VERBOSE=1); errors always reach the report. */
export function serverLog(options: BenchOptions): ((line: string) => void) | undefined {
	return process.env.BENCH_VERBOSE === '1'
		? (line) => options.log(`  [server] ${line}`)
		: undefined;
}

/**
 * With BENCH_CPU_PROFILE=<folder>, every server writes a CPU profile of its main thread there
 * when it stops (cpu-profile.js). NODE_OPTIONS only reaches the server's own process.
 */
function profiling(): Record<string, string> {
	if (!process.env.BENCH_CPU_PROFILE) return {};
	const hook = pathToFileURL(fileURLToPath(new URL('./cpu-profile.js', import.meta.url))).href;
	const inherited = process.env.NODE_OPTIONS ? `${process.env.NODE_OPTIONS} ` : '';
	return {
		NODE_OPTIONS: `${inherited}--import=${hook}`,
		BENCH_CPU_PROFILE: resolve(process.env.BENCH_CPU_PROFILE)
	};
}

/**
 * The built app for a benchmark (tests/support/app-server.ts, the one spawner): on 127.0.0.1,
 * with the open-files limit raised for thousands of sockets, its output only to `log`.
 */
export function startServer(options: AppOptions): Promise<RunningApp> {
	const { log } = options;
	return startApp({
		host: '127.0.0.1',
		openFiles: 65_536,
		healthTimeoutMs: 60_000,
		...options,
		env: { ...profiling(), ...options.env },
		echo: 'none',
		log: log && ((text) => log(text.trimEnd()))
	});
}
