import { defineConfig, devices } from '@playwright/test';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const port = Number(process.env.E2E_PORT ?? 4173);
const origin = `http://localhost:${port}`;
// A system Chromium (Debian's package here) when present; else Playwright's own browser.
const chromiumPath =
	process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
// A fresh data folder for every run, so the journeys start from an empty app.
const dataDir = process.env.E2E_DATA_DIR ?? mkdtempSync(join(tmpdir(), 'tongxing-e2e-'));
// Workers load this file again: they must see the same folder.
process.env.E2E_DATA_DIR = dataDir;

export default defineConfig({
	testDir: 'tests/e2e',
	workers: 1,
	retries: 0,
	// Whole journeys with an axe scan on every page: generous on a 2-core machine under load.
	timeout: 180_000,
	expect: { timeout: 10_000 },
	reporter: process.env.CI ? [['list']] : [['list']],
	use: {
		baseURL: origin,
		trace: 'retain-on-failure',
		...devices['Pixel 7'],
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
	projects: [{ name: 'chromium-mobile' }],
	webServer: {
		command: 'node server.js',
		url: `${origin}/api/health`,
		reuseExistingServer: false,
		timeout: 60_000,
		env: {
			PORT: String(port),
			ORIGIN: origin,
			DATA_DIR: dataDir,
			DATABASE_URL: '',
			E2E_DATA_DIR: dataDir,
			TONGXING_TEST_HOOKS: '1'
		}
	}
});
