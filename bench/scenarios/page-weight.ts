// Scenario 4, page weight: every JavaScript response in the first 5 seconds of loading the
// signed-in task board and the community contact's page (/c/<token>) in Chromium, lazily
// loaded chunks included (the Realtime client is imported after hydration). Each body is gzipped at
// level 9 here, so the figure does not depend on what the server chose to send; the bytes
// actually transferred (adapter-node serves its precompressed brotli files) are shown beside.
import { existsSync, rmSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { chromium, devices, type Browser, type Response } from '@playwright/test';
import { makeContact } from '../../tests/factories/contacts';
import { round } from '../lib/stats';
import type { BenchOptions, BenchRow, BenchSection } from '../lib/types';
import { addVolunteers, embeddedFolder, makeBoard, makeTeamWithEvent, seed } from '../support/seed';
import { PORTS, REALTIME_LIMITS, serverLog, startServer } from '../support/settings';

const WINDOW_MS = 5_000;
const KB = 1024;

interface Loaded {
	scripts: Script[];
	/** The HTML document, gzip -9. */
	html: number;
}

interface Script {
	path: string;
	bytes: number;
	gzip: number;
	transferred: number;
}

function isJavaScript(res: Response): boolean {
	const type = res.headers()['content-type'] ?? '';
	return type.includes('javascript') || new URL(res.url()).pathname.endsWith('.js');
}

/**
 * Opens `url` in a fresh context and collects every script response for WINDOW_MS, and the
 * document's own size. `shows`, a
 * selector the page must render, proves it is the real page and not an error or a refusal.
 */
async function scriptsOf(
	browser: Browser,
	url: string,
	cookies: { name: string; value: string }[],
	shows: string
): Promise<Loaded> {
	const context = await browser.newContext({
		...devices['Pixel 7'],
		locale: 'zh-CN',
		timezoneId: 'Asia/Shanghai'
	});
	await context.addCookies(cookies.map((c) => ({ ...c, url: new URL(url).origin })));
	const page = await context.newPage();
	const pending: Promise<Script>[] = [];
	page.on('response', (res) => {
		if (!isJavaScript(res) || res.status() !== 200) return;
		pending.push(
			(async () => {
				const body = await res.body();
				const sizes = await res.request().sizes();
				return {
					path: new URL(res.url()).pathname,
					bytes: body.length,
					gzip: gzipSync(body, { level: 9 }).length,
					transferred: sizes.responseBodySize
				};
			})()
		);
	});
	// The window opens when the HTML arrives (on a busy machine the server alone can take
	// seconds) and lasts at least until the load event.
	const response = await page.goto(url, { waitUntil: 'commit' });
	const started = Date.now();
	if (response?.status() !== 200) {
		const text = (await response?.text())?.replace(/\s+/g, ' ').slice(0, 300);
		throw new Error(`${new URL(url).pathname} answered ${response?.status()}: ${text}`);
	}
	await page.waitForLoadState('load');
	if ((await page.locator(shows).count()) === 0) {
		throw new Error(`${new URL(url).pathname} loaded without ${shows}`);
	}
	await page.waitForTimeout(Math.max(0, WINDOW_MS - (Date.now() - started)));
	const scripts = await Promise.all(pending);
	const html = gzipSync(await response.body(), { level: 9 }).length;
	await context.close();
	return { scripts, html };
}

function section(
	name: string,
	{ scripts, html }: Loaded,
	limitKb: number,
	url: string,
	why: string[]
): BenchSection {
	const total = scripts.reduce((s, x) => s + x.gzip, 0);
	const transferred = scripts.reduce((s, x) => s + x.transferred, 0);
	const raw = scripts.reduce((s, x) => s + x.bytes, 0);
	const bySize = [...scripts].sort((a, b) => b.gzip - a.gzip);
	const rows: BenchRow[] = [
		{
			metric: 'JavaScript, gzip -9',
			value: round(total / KB),
			unit: 'KB',
			target: `≤ ${limitKb} KB`,
			pass: total <= limitKb * KB
		},
		{ metric: 'JavaScript, as transferred', value: round(transferred / KB), unit: 'KB' },
		{ metric: 'JavaScript, uncompressed', value: round(raw / KB), unit: 'KB' },
		{ metric: 'script responses', value: scripts.length, unit: '' },
		{ metric: 'HTML document, gzip -9', value: round(html / KB), unit: 'KB' }
	];
	return {
		name,
		settings: {
			page: url,
			window: `${WINDOW_MS / 1000} s from the HTML's arrival, at least to the load event`,
			browser: 'Chromium, Pixel 7'
		},
		rows,
		notes: [
			...why,
			'Scripts by size (gzip -9): ' +
				(bySize.map((s) => `${s.path.split('/').pop()} ${round(s.gzip / KB)} KB`).join(', ') ||
					'none')
		]
	};
}

export async function runPageWeight(options: BenchOptions): Promise<BenchSection[]> {
	const dataDir = await embeddedFolder();
	try {
		const world = await seed({ mode: 'embedded', dataDir }, async () => {
			const { team, eventId } = await makeTeamWithEvent();
			const volunteers = await addVolunteers(team, 6);
			await makeBoard(team, eventId, volunteers);
			const contact = await makeContact(team, eventId);
			return { teamId: team.teamId, eventId, viewer: volunteers[0], contactToken: contact.token };
		});
		const server = await startServer({
			port: PORTS.weight,
			dataDir,
			env: REALTIME_LIMITS,
			log: serverLog(options)
		});
		const executablePath =
			process.env.CHROMIUM_PATH ??
			(existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
		const browser = await chromium.launch({
			executablePath,
			args: [
				'--no-sandbox',
				'--disable-gpu',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync',
				'--no-first-run',
				'--disable-quic'
			]
		});
		try {
			const board = `/teams/${world.teamId}/events/${world.eventId}/tasks`;
			const boardScripts = await scriptsOf(
				browser,
				`${server.origin}${board}`,
				[{ name: 'session', value: world.viewer.token }],
				'[data-testid="totals"]'
			);
			if (!boardScripts.scripts.some((s) => s.path.includes('/_app/'))) {
				throw new Error('the task board loaded no app scripts');
			}
			options.log(`page weight: task board, ${boardScripts.scripts.length} scripts`);
			const contact = '/c/<token>';
			const contactScripts = await scriptsOf(
				browser,
				`${server.origin}/c/${world.contactToken}`,
				[],
				'form[action^="?/confirm"]'
			);
			options.log(`page weight: contact page, ${contactScripts.scripts.length} scripts`);
			return [
				section('Page weight: task board (signed in)', boardScripts, 100, board, [
					'The Realtime client is loaded after hydration; it is @supabase/realtime-js alone ' +
						'(16 KB), no longer all of supabase-js (50 KB, with auth, PostgREST and storage).'
				]),
				section('Page weight: community contact page', contactScripts, 50, contact, [
					'The contact page is server-rendered only (`export const csr = false`): it sends ' +
						'no JavaScript. Hydrated, it loaded 50.6 KB gzip (commit df8c701): Svelte’s ' +
						'runtime 19.4 KB, SvelteKit’s client 12.9 KB, the route manifest 3.6 KB, the page ' +
						'with its messages in both languages 6.1 KB, the root layout, the error page, ' +
						'use:enhance and date formatting the rest. None of it did anything the page ' +
						'needs: no live updates (the contact has no account), no dialogs or copy ' +
						'buttons; its two forms are plain POSTs answered by the server, a refused one ' +
						'shown again as typed, a taken one redirected (no resend on reload) back to the ' +
						'answer. The browser’s own progress bar now shows a slow answer being sent; ' +
						'tests/e2e/contact.spec.ts answers with JavaScript on and off.'
				])
			];
		} finally {
			await browser.close();
			await server.stop();
		}
	} finally {
		rmSync(dataDir, { recursive: true, force: true });
	}
}
