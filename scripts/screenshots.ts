// `npm run screenshots`: the built app on a temporary embedded server (its own data folder and
// port, started and stopped here), a sample team seeded through the app's own forms (a captain,
// a leader leading a group, a volunteer, one of everything: tests/e2e/layout-world.ts), and a
// screenshot of every page of the route table per role (the screen, and `.full.png` the whole
// page when it is longer), at 360×640 and 1280×800, in both
// languages, into `screenshots/` (gitignored); then the volunteer's phone with the network cut
// (`offline/`: the kept day pages with their "offline · as of" mark, a page never kept, and an
// incident report and a check-in waiting in the outbox). Not part of `npm test`.
//   SCREENSHOTS_DIR   where to write (default ./screenshots)
//   SCREENSHOTS_PORT  the server's port (default 4390)
//   SCREENSHOTS_LOCALES  e.g. `zh-CN` for one language (default `zh-CN,en`)
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from '@playwright/test';
import {
	contextFor,
	pagesFor,
	seedRoles,
	VIEWPORTS,
	wallUrl,
	type Role,
	type ViewportName
} from '../tests/e2e/layout-world';

const outDir = resolve(process.env.SCREENSHOTS_DIR ?? 'screenshots');
const port = Number(process.env.SCREENSHOTS_PORT ?? 4390);
const locales = (process.env.SCREENSHOTS_LOCALES ?? 'zh-CN,en')
	.split(',')
	.map((l) => l.trim())
	.filter((l): l is 'zh-CN' | 'en' => l === 'zh-CN' || l === 'en');
const origin = `http://localhost:${port}`;

if (!existsSync('build/handler.js')) {
	console.error('No build: run `npm run build` first (`npm run screenshots` does).');
	process.exit(1);
}

const dataDir = mkdtempSync(join(tmpdir(), 'tongxing-screenshots-'));
const server = spawn(process.execPath, ['server.js'], {
	stdio: ['ignore', 'ignore', 'inherit'],
	env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', PORT: String(port), ORIGIN: origin }
});
const stopServer = () => {
	if (server.exitCode === null) server.kill('SIGTERM');
};
process.on('exit', () => {
	stopServer();
	rmSync(dataDir, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));

async function waitForServer(): Promise<void> {
	const until = Date.now() + 90_000;
	while (Date.now() < until) {
		if (server.exitCode !== null) throw new Error(`the server exited (${server.exitCode})`);
		try {
			if ((await fetch(`${origin}/api/health`)).ok) return;
		} catch {
			// not listening yet
		}
		await new Promise((r) => setTimeout(r, 300));
	}
	throw new Error(`no answer from ${origin}/api/health within 90 s`);
}

/** `load /teams/[teamId=uuid]/events/[eventId=uuid]/tasks` → `teams-team-events-event-tasks`. */
const fileName = (id: string) =>
	id
		.replace(/^load /, '')
		.replace(/\[([A-Za-z]+?)(?:Id)?(?:=[a-z]+)?\]/g, '$1')
		.replace(/\/+/g, '-')
		.replace(/^-|-$/g, '') || 'home';

await waitForServer();
console.log(`Seeding a sample team on ${origin} …`);
const seeded = await seedRoles(origin, 'Sample');
const browser = await chromium.launch({
	executablePath: existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined,
	args: ['--no-sandbox', '--disable-gpu']
});
let count = 0;

/** The volunteer's day pages, kept by the service worker, shown with the network cut. */
async function offlineShots(locale: 'zh-CN' | 'en', size: ViewportName): Promise<number> {
	const context = await contextFor(browser, seeded.volunteer, size, locale, origin);
	const page = await context.newPage();
	const dir = join(outDir, locale, size, 'offline');
	mkdirSync(dir, { recursive: true });
	const event = `/teams/${seeded.world.teamId}/events/${seeded.world.eventId}`;
	const kept = ['', '/me', '/agenda', '/sheet', '/checkin', '/incidents'];
	await page.goto(`${event}/me`);
	await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
	for (const path of kept) {
		await page.goto(`${event}${path}`);
		await page.locator('body[data-hydrated]').waitFor({ state: 'attached' });
	}
	await context.setOffline(true);
	let shots = 0;
	for (const path of kept) {
		await page.goto(`${event}${path}`);
		await page.getByTestId('offline-mark').waitFor();
		await page.screenshot({ path: join(dir, `${fileName(path.slice(1) || 'event')}.png`) });
		shots++;
	}
	// A page this phone never opened: the offline page in the user's language.
	await page.goto(`/teams/${seeded.world.teamId}`);
	await page.screenshot({ path: join(dir, 'never-kept.png') });
	// Typed while offline: a report and a check-in wait in the outbox, shown where they were sent.
	await page.goto(`${event}/incidents`);
	await page.locator('body[data-hydrated]').waitFor({ state: 'attached' });
	await page.locator('select[name="category"]').selectOption({ index: 1 });
	await page.locator('textarea[name="description"]').fill('活动室的插线板冒烟了，已断电');
	await page.locator('form:has(textarea[name="description"]) button[type="submit"]').click();
	await page.getByTestId('outbox-item').first().waitFor();
	await page.screenshot({ path: join(dir, 'incident-waiting.png'), fullPage: true });
	await page.goto(`${event}/checkin`);
	await page.locator('body[data-hydrated]').waitFor({ state: 'attached' });
	await page.locator('input[name="code"]').fill('123456');
	await page.locator('form:has(input[name="code"]) button[type="submit"]').click();
	await page.getByTestId('outbox-item').nth(1).waitFor();
	await page.screenshot({ path: join(dir, 'checkin-waiting.png'), fullPage: true });
	await context.close();
	return shots + 3;
}

try {
	const roles: Role[] = ['volunteer', 'leader', 'captain', 'anonymous'];
	for (const locale of locales) {
		for (const size of Object.keys(VIEWPORTS) as ViewportName[]) {
			for (const role of roles) {
				const client = role === 'anonymous' ? null : seeded[role];
				const context = await contextFor(browser, client, size, locale, origin);
				const page = await context.newPage();
				const dir = join(outDir, locale, size, role);
				mkdirSync(dir, { recursive: true });
				const visits = pagesFor(role, seeded);
				if (role === 'captain' || role === 'leader') {
					visits.push({ id: 'wall-monitor', url: wallUrl(seeded) });
				}
				for (const visit of visits) {
					await page.goto(visit.url);
					// Server-rendered pages (`csr = false`) have no scripts to wait for.
					if ((await page.locator('script').count()) > 0) {
						await page.locator('body[data-hydrated]').waitFor({ state: 'attached' });
					}
					// What the screen shows (fixed bars where they are), then the whole page.
					await page.screenshot({ path: join(dir, `${fileName(visit.id)}.png`) });
					count++;
					const tall = await page.evaluate(
						() => document.documentElement.scrollHeight > window.innerHeight
					);
					if (tall) {
						await page.screenshot({
							path: join(dir, `${fileName(visit.id)}.full.png`),
							fullPage: true
						});
						count++;
					}
				}
				// The menus open: the header's, and on phones the event's "more".
				if (client) {
					const event = `/teams/${seeded.world.teamId}/events/${seeded.world.eventId}`;
					await page.goto(event);
					await page.locator('body[data-hydrated]').waitFor({ state: 'attached' });
					await page.locator('header.top summary').click();
					await page.screenshot({ path: join(dir, 'menu-open.png') });
					await page.keyboard.press('Escape');
					if (size === 'phone') {
						await page.getByTestId('event-tabbar').locator('summary').click();
						await page.screenshot({ path: join(dir, 'more-open.png') });
					}
					count += size === 'phone' ? 2 : 1;
				}
				await context.close();
			}
		}
	}
	for (const locale of locales) {
		for (const size of Object.keys(VIEWPORTS) as ViewportName[]) {
			count += await offlineShots(locale, size);
		}
	}
} finally {
	await browser.close();
	await Promise.all([seeded.captain, seeded.leader, seeded.volunteer].map((c) => c.dispose()));
	stopServer();
}
console.log(`${count} screenshots in ${outDir}/<language>/<size>/<role>/`);
