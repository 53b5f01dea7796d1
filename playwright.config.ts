import { defineConfig, devices } from '@playwright/test';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Ports: E2E_PORT (default 4173) is the embedded server of the `embedded` project; each of the
// E2E_WORKERS workers (default 3) has its own server on E2E_PORT + 1 + its parallel index, with
// its own database, so that a journey's database digest sees only its own worker's writes.
const basePort = Number(process.env.E2E_PORT ?? 4173);
const workers = Math.max(1, Number(process.env.E2E_WORKERS ?? 3));
const originOf = (port: number) => `http://localhost:${port}`;
const embeddedOrigin = originOf(basePort);
const workerPort = (index: number) => basePort + 1 + index;
// With TEST_DATABASE_URL (CI) the workers' servers run in PostgreSQL mode, one database each
// (`<its name>_e2e_<index>`, made afresh at start); otherwise embedded, one data folder each.
const pgUrl = process.env.TEST_DATABASE_URL;
const workerDatabase = (index: number) => {
	const url = new URL(pgUrl ?? '');
	url.pathname = `${url.pathname}_e2e_${index}`;
	return url.toString();
};

// A system Chromium (Debian's package here) when present; else Playwright's own browser.
const chromiumPath =
	process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
// A fresh data folder for every run, so the journeys start from an empty app. Workers load this
// file again: they must see the same folder.
const dataRoot = process.env.E2E_DATA_ROOT ?? mkdtempSync(join(tmpdir(), 'tongxing-e2e-'));
process.env.E2E_DATA_ROOT = dataRoot;
const embeddedDir = join(dataRoot, 'embedded');
const workerDir = (index: number) => join(dataRoot, `w${index}`);
for (const dir of [embeddedDir, ...Array.from({ length: workers }, (_, i) => workerDir(i))]) {
	mkdirSync(dir, { recursive: true });
}
// The embedded server's folder (home.spec starts a second process on it).
process.env.E2E_DATA_DIR = embeddedDir;

// In a worker: its own server, also for the specs that read E2E_PORT (http-client.ts).
const parallelIndex = process.env.TEST_PARALLEL_INDEX;
const ownOrigin =
	parallelIndex === undefined ? embeddedOrigin : originOf(workerPort(Number(parallelIndex)));
if (parallelIndex !== undefined) process.env.E2E_PORT = String(workerPort(Number(parallelIndex)));

const server = (port: number, env: Record<string, string>) => ({
	command: 'node tests/e2e/serve.js',
	url: `${originOf(port)}/api/health`,
	reuseExistingServer: false,
	timeout: 90_000,
	env: {
		PORT: String(port),
		ORIGIN: originOf(port),
		DATABASE_URL: '',
		TONGXING_TEST_HOOKS: '1',
		...env
	}
});

/** Specs that need the embedded mode of the shared web server itself. */
const EMBEDDED_ONLY = ['home.spec.ts'];

export default defineConfig({
	testDir: 'tests/e2e',
	workers,
	retries: 0,
	timeout: 180_000,
	expect: { timeout: 10_000 },
	reporter: process.env.COUNT_ASSERTIONS
		? [['list'], ['./tests/support/count-expects-reporter.ts']]
		: [['list']],
	use: {
		// Traces cost about a third of the suite's CPU (a DOM snapshot per action); when a
		// journey fails, run it again with `--trace retain-on-failure`.
		trace: 'off',
		...devices['Pixel 7'],
		// Pixel 7's CSS size, touch and user agent, rastered at 1×: the layout is the same in CSS
		// pixels and the software rasteriser has a seventh of the pixels to paint.
		deviceScaleFactor: 1,
		locale: 'zh-CN',
		timezoneId: 'Asia/Shanghai',
		launchOptions: {
			executablePath: chromiumPath,
			args: [
				'--no-sandbox',
				'--disable-gpu',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync',
				'--no-first-run',
				'--disable-quic'
			]
		}
	},
	projects: [
		{ name: 'embedded', testMatch: EMBEDDED_ONLY, use: { baseURL: embeddedOrigin } },
		{ name: 'chromium-mobile', testIgnore: EMBEDDED_ONLY, use: { baseURL: ownOrigin } }
	],
	webServer: [
		server(basePort, { DATA_DIR: embeddedDir, E2E_DATA_DIR: embeddedDir }),
		...Array.from({ length: workers }, (_, i) =>
			server(
				workerPort(i),
				pgUrl
					? { DATABASE_URL: workerDatabase(i), E2E_FRESH_DATABASE: workerDatabase(i) }
					: { DATA_DIR: workerDir(i), E2E_DATA_DIR: workerDir(i) }
			)
		)
	]
});
