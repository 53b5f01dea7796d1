// The offline journey's name for tests/support/app-server.ts (kept so that its spec need not
// change): a server on a fixed port with its own data folder, handed back as its process.
import type { ChildProcess } from 'node:child_process';
import { startApp } from '../support/app-server';

export async function startOwnServer(
	port: number,
	dataDir: string,
	env: Record<string, string> = {}
): Promise<ChildProcess> {
	return (await startApp({ port, dataDir, env, echo: 'errors' })).process;
}
