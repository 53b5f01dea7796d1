import { expect, type Page } from '@playwright/test';
import axe from 'axe-core';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What tells one state of a page from another, read off the page (see `distinctPage`). */
export interface PageState {
	url: string;
	viewportWidth: number;
	/** The named form actions on the page (`?/claim`, `?/withdraw`): differ by role. */
	actions: string[];
	alerts: boolean;
	invalid: boolean;
	dialog: boolean;
}

/**
 * The distinct page a state shows, for scanning each once: the route (ids and link tokens
 * replaced by placeholders), the query's keys (`?kind=…`, `?view=wall` are other pages), phone or
 * wide layout, the form actions it offers (a captain's page is not a volunteer's), and whether
 * an alert, a field error or a dialog shows.
 */
export function distinctPage(state: PageState): string {
	const { pathname, searchParams } = new URL(state.url);
	const path = pathname
		.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, ':id')
		.replace(/^\/(c|invite|reset)\/[^/]+/, '/$1/:token');
	const query = [...new Set(searchParams.keys())].sort().join('&');
	const actions = [...new Set(state.actions)].sort().join(',');
	const flags = [state.alerts && 'alert', state.invalid && 'invalid', state.dialog && 'dialog']
		.filter(Boolean)
		.join(',');
	return `${path}?${query} ${state.viewportWidth < 768 ? 'phone' : 'wide'} [${actions}] [${flags}]`;
}

async function stateOf(page: Page): Promise<PageState> {
	const read = await page.evaluate(() => ({
		actions: [...document.querySelectorAll('form')].map((f) => {
			const action = f.getAttribute('action') ?? '';
			return action.includes('?/') ? action.slice(action.indexOf('?/')) : f.method;
		}),
		alerts: document.querySelector('[role="alert"]:not(:empty)') !== null,
		invalid: document.querySelector('[aria-invalid="true"]') !== null,
		dialog: document.querySelector('dialog[open], [role="dialog"], [role="alertdialog"]') !== null
	}));
	return { url: page.url(), viewportWidth: page.viewportSize()?.width ?? 0, ...read };
}

/**
 * Claims a page's scan for this run, across all workers (a file per page in the run's data
 * root, created exclusively): true for the first caller only.
 */
function firstScanOf(key: string): boolean {
	const root = process.env.E2E_DATA_ROOT;
	if (!root) return true;
	const dir = join(root, 'axe-scanned');
	mkdirSync(dir, { recursive: true });
	try {
		writeFileSync(join(dir, createHash('sha1').update(key).digest('hex')), key, { flag: 'wx' });
		return true;
	} catch (err) {
		if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
		throw err;
	}
}

declare global {
	interface Window {
		axe: typeof axe;
	}
}

/**
 * WCAG 2.2 AA. Only the violations are aggregated: axe still runs every rule on every node, but
 * gives the passing and incomplete results one node each instead of a selector for every node
 * of the page, which was much of a scan's time (`tests/e2e/axe.spec.ts` holds it to the full run).
 */
export const AXE_OPTIONS: axe.RunOptions = {
	runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa'] },
	resultTypes: ['violations']
};

/**
 * axe-core's violations on the page as it is, run in the page itself: axe-core is injected
 * once per document (@axe-core/playwright's legacy mode sent its 580 kB twice per scan; we have
 * no frames for it to reach), configured as @axe-core/playwright configures it.
 */
export async function axeViolations(
	page: Page,
	options: axe.RunOptions = AXE_OPTIONS
): Promise<axe.Result[]> {
	if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
		await page.evaluate(`${axe.source}
;axe.configure({ allowedOrigins: ['<same_origin>'], branding: { application: 'playwright' } });`);
	}
	return page.evaluate((o) => window.axe.run(document, o).then((r) => r.violations), options);
}

/**
 * Every page visited gets this: zero WCAG 2.2 AA violations. A page already scanned in this run,
 * by any worker, in the same state (`distinctPage`) is not scanned again, unless `always`.
 * `soft` reports a violation and goes on (the layout spec lists every failing page).
 */
export async function expectAccessible(
	page: Page,
	options: { always?: boolean; soft?: boolean; label?: string } = {}
): Promise<void> {
	if (!options.always && !firstScanOf(distinctPage(await stateOf(page)))) return;
	// From the top of the page: axe judges target sizes where the page is scrolled, and a
	// button a journey just pressed near the bottom of a phone's screen lies half under the
	// event's fixed tab bar there (as it would not once the person scrolls on).
	await page.evaluate(() => window.scrollTo(0, 0));
	const violations = await axeViolations(page);
	const summary = violations.map(
		(v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`
	);
	(options.soft ? expect.soft : expect)(summary, options.label ?? `axe on ${page.url()}`).toEqual(
		[]
	);
}
