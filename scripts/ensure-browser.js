// Finds a browser for the end-to-end tests: a system Chromium when present, else
// Playwright's own (downloaded where the internet is reachable); says what to install if neither.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { chromium } from '@playwright/test';

const system = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (existsSync(system)) process.exit(0);

if (existsSync(chromium.executablePath())) process.exit(0);

console.log('No system Chromium found; trying `npx playwright install chromium` …');
const result = spawnSync('npx', ['playwright', 'install', 'chromium'], { stdio: 'inherit' });
if (result.status === 0 && existsSync(chromium.executablePath())) process.exit(0);

console.error(
	'\nThe end-to-end tests need Chromium and none could be found or downloaded.\n' +
		'  Debian/Ubuntu:  sudo apt-get install -y chromium   (then rerun `npm test`)\n' +
		'  elsewhere:      npx playwright install chromium\n' +
		'  or set CHROMIUM_PATH to a Chromium or Chrome executable.'
);
process.exit(1);
