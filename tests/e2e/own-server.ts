// A spec's own server process (`node server.js` on a fixed port with its own data folder), for
// the specs that stop, kill or restart it: the crash spec and the offline journey.
import { spawn, type ChildProcess } from 'node:child_process';

export async function startOwnServer(
	port: number,
	dataDir: string,
	env: Record<string, string> = {}
): Promise<ChildProcess> {
	const origin = `http://localhost:${port}`;
	const child = spawn(process.execPath, ['server.js'], {
		env: {
			...process.env,
			PORT: String(port),
			ORIGIN: origin,
			DATA_DIR: dataDir,
			DATABASE_URL: '',
			TONGXING_TEST_HOOKS: '',
			...env
		},
		stdio: ['ignore', 'ignore', 'inherit']
	});
	const deadline = Date.now() + 90_000;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode})`);
		const ok = await fetch(`${origin}/api/health`).then(
			(r) => r.ok,
			() => false
		);
		if (ok) return child;
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
	child.kill('SIGKILL');
	throw new Error('the server did not start');
}
