// A CPU profile of a benchmarked server's main thread, for "what remains and why" in
// bench/results.md. With BENCH_CPU_PROFILE=<folder>, startServer (settings.ts) starts each
// server with `--import` of this module: V8's sampling profiler runs from the start (a sample
// every BENCH_CPU_PROFILE_INTERVAL_US µs, default 200) and the profile is written to
// <folder>/server-<port>-<pid>.cpuprofile when the server exits through process.exit (its
// SIGTERM shutdown does). Open it in Chromium's DevTools (Performance, load profile) or
// speedscope. Only the main thread is profiled: embedded mode's PGlite worker is not.
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';
import { isMainThread } from 'node:worker_threads';

const folder = process.env.BENCH_CPU_PROFILE;

if (folder && isMainThread) {
	const session = new Session();
	session.connect();
	const interval = Number(process.env.BENCH_CPU_PROFILE_INTERVAL_US ?? 200);
	session.post('Profiler.enable');
	session.post('Profiler.setSamplingInterval', { interval });
	session.post('Profiler.start');

	const exit = process.exit.bind(process);
	let written = false;
	process.exit = (code) => {
		if (written) return exit(code);
		written = true;
		session.post('Profiler.stop', (err, result) => {
			if (!err && result) {
				mkdirSync(folder, { recursive: true });
				const file = join(folder, `server-${process.env.PORT ?? 'x'}-${process.pid}.cpuprofile`);
				writeFileSync(file, JSON.stringify(result.profile));
			}
			exit(code);
		});
		// Not reached when the callback ran at once; otherwise the process waits for it.
		return undefined;
	};
}
