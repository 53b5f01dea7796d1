// The layout of every page of the route table, as each role, on a 360×640 phone and a
// 1280×800 laptop (issue 21): no sideways scrolling, a compact header, 44 px primary actions,
// no navigation item out of sight without a visible way to it, no text squeezed narrower than
// two characters, and axe clean. One seeded world per worker; one test per role and size,
// which reports every page and check that fails (soft assertions), not only the first.
import { expect, test, type Page } from '@playwright/test';
import { expectAccessible } from './axe';
import { hydrated } from './hydrated';
import {
	contextFor,
	pagesFor,
	seedRoles,
	wallUrl,
	type Role,
	type RoleWorld,
	type ViewportName
} from './layout-world';

// The role-and-size tests spread over the workers; each worker seeds its own world.
test.describe.configure({ mode: 'parallel' });

let seeded: RoleWorld;

// eslint-disable-next-line no-empty-pattern -- Playwright needs the fixtures argument first
test.beforeAll(async ({}, info) => {
	info.setTimeout(120_000);
	seeded = await seedRoles(new URL(info.project.use.baseURL ?? '').origin, 'Layout');
});

test.afterAll(async () => {
	await Promise.all([seeded?.captain, seeded?.leader, seeded?.volunteer].map((c) => c?.dispose()));
});

interface Measures {
	scrollWidth: number;
	innerWidth: number;
	innerHeight: number;
	scrollHeight: number;
	headerHeight: number | null;
	smallActions: string[];
	navOutside: string[];
	narrowText: string[];
	/** Forms the browser would validate itself, in its own language, instead of the server. */
	browserValidated: string[];
}

/** Everything measured in the page at once (one round trip per page). */
function measure(): Measures {
	const describe = (el: Element) => {
		const text = (el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40);
		const name = el.getAttribute('aria-label') ?? (el as HTMLInputElement).value ?? '';
		return `<${el.tagName.toLowerCase()}${el.className ? ` class="${el.className}"` : ''}> ${text || name}`;
	};
	const shown = (el: Element) => {
		if (!el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) return false;
		const r = el.getBoundingClientRect();
		return r.width > 0 && r.height > 0;
	};
	const vw = window.innerWidth;
	const header = document.querySelector('body > header, header.top');

	// Primary actions: every submit button (claim, withdraw, check in, save…) and every
	// link styled as a button.
	const actions = document.querySelectorAll(
		'button:not([type="button"]):not([type="reset"]), input[type="submit"], a.button'
	);
	const smallActions = [...actions]
		.filter(shown)
		.filter((el) => {
			const r = el.getBoundingClientRect();
			return r.width < 43.5 || r.height < 43.5;
		})
		.map((el) => {
			const r = el.getBoundingClientRect();
			return `${describe(el)} (${Math.round(r.width)}×${Math.round(r.height)})`;
		});

	// Navigation items: a shown one lies within the viewport's width (one inside a closed
	// menu is not shown; its menu button is the visible way to it, and is checked itself).
	const navOutside = [...document.querySelectorAll('nav a, nav summary, nav button')]
		.filter(shown)
		.filter((el) => {
			const r = el.getBoundingClientRect();
			return r.left < -0.5 || r.right > vw + 0.5;
		})
		.map(describe);

	// Text squeezed narrower than two characters: an element whose own text (two characters
	// or more) wraps although its box is narrower than two of its characters.
	const narrowText: string[] = [];
	const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
	const seen = new Set<Element>();
	for (let node = walker.nextNode(); node; node = walker.nextNode()) {
		const text = node.textContent ?? '';
		const start = text.search(/\S/);
		if (start < 0 || text.trim().length < 2) continue;
		const el = node.parentElement;
		if (!el || seen.has(el) || !shown(el)) continue;
		seen.add(el);
		const style = getComputedStyle(el);
		const fontSize = parseFloat(style.fontSize);
		// The room the text has: the box less its padding and borders.
		const px = (v: string) => parseFloat(v) || 0;
		const width =
			el.getBoundingClientRect().width -
			px(style.paddingLeft) -
			px(style.paddingRight) -
			px(style.borderLeftWidth) -
			px(style.borderRightWidth);
		if (width >= 2 * fontSize) continue;
		const range = document.createRange();
		range.setStart(node, start);
		range.setEnd(node, Math.min(text.length, start + 2));
		const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
		if (tops.size > 1) narrowText.push(`${describe(el)} (${Math.round(width)} px wide)`);
	}

	return {
		scrollWidth: document.documentElement.scrollWidth,
		innerWidth: vw,
		innerHeight: window.innerHeight,
		scrollHeight: document.documentElement.scrollHeight,
		headerHeight: header ? header.getBoundingClientRect().height : null,
		smallActions,
		navOutside,
		narrowText,
		browserValidated: [...document.querySelectorAll('form')]
			.filter((f) => f.method === 'post' && !f.noValidate)
			.map((f) => `<form action="${f.getAttribute('action') ?? ''}">`)
	};
}

async function checkPage(page: Page, label: string, size: ViewportName, wall = false) {
	const m = await page.evaluate(measure);
	expect
		.soft(m.scrollWidth, `${label}: the page scrolls sideways`)
		.toBeLessThanOrEqual(m.innerWidth);
	if (wall) {
		expect.soft(m.headerHeight, `${label}: the wall monitor shows the site header`).toBeNull();
		if (size === 'desktop') {
			expect
				.soft(m.scrollHeight, `${label}: the wall monitor needs scrolling`)
				.toBeLessThanOrEqual(m.innerHeight);
		}
	} else if (size === 'phone') {
		expect.soft(m.headerHeight, `${label}: the header`).not.toBeNull();
		expect.soft(m.headerHeight ?? 0, `${label}: header height`).toBeLessThanOrEqual(56);
	}
	expect.soft(m.smallActions, `${label}: primary actions under 44×44 px`).toEqual([]);
	expect.soft(m.navOutside, `${label}: navigation items off screen`).toEqual([]);
	expect.soft(m.narrowText, `${label}: text narrower than two characters`).toEqual([]);
	// The server's messages speak the page's language; the browser's bubbles would not.
	expect.soft(m.browserValidated, `${label}: forms without novalidate`).toEqual([]);
	// Scanned once per distinct page state in the run (tests/e2e/axe.ts): a journey that meets
	// the same page as the same role skips it, and the reverse.
	await expectAccessible(page, { soft: true, label: `${label}: axe` });
}

const CASES: { role: Role; size: ViewportName; locale: 'zh-CN' | 'en' }[] = [];
for (const role of ['volunteer', 'leader', 'captain', 'anonymous'] as const) {
	CASES.push({ role, size: 'phone', locale: 'zh-CN' });
	CASES.push({ role, size: 'desktop', locale: 'zh-CN' });
}
// English words are longer: the phone's tab bar and header in English too.
CASES.push({ role: 'volunteer', size: 'phone', locale: 'en' });
CASES.push({ role: 'captain', size: 'phone', locale: 'en' });

for (const { role, size, locale } of CASES) {
	test(`every page as ${role} on a ${size} (${locale}): layout and accessibility`, async ({
		browser
	}, info) => {
		const baseURL = info.project.use.baseURL ?? '';
		const client = role === 'anonymous' ? null : seeded[role];
		const context = await contextFor(browser, client, size, locale, baseURL);
		const page = await context.newPage();
		const visits = pagesFor(role, seeded);
		expect(visits.length, `pages for ${role}`).toBeGreaterThan(4);
		for (const visit of visits) {
			const res = await page.goto(visit.url);
			const label = `${visit.id} as ${role} (${size}, ${locale})`;
			expect.soft(res?.status() ?? 0, `${label}: status`).toBeLessThan(400);
			// Pages rendered on the server only (`csr = false`: the contact link) have no scripts
			// to wait for.
			if ((await page.locator('script').count()) > 0) await hydrated(page);
			await checkPage(page, label, size);
		}
		if (role === 'captain' || role === 'leader') {
			await page.goto(wallUrl(seeded));
			await hydrated(page);
			await expect(page.locator('.wall-qr svg')).toBeVisible();
			await checkPage(page, `wall monitor as ${role} (${size}, ${locale})`, size, true);
			if (size === 'desktop') {
				// A 1080p screen at the venue, too.
				await page.setViewportSize({ width: 1920, height: 1080 });
				await checkPage(page, `wall monitor as ${role} (1920×1080, ${locale})`, size, true);
			}
		}
		await context.close();
	});
}

test('the event navigation: a volunteer’s five pages and “more”; captains reach every page', async ({
	browser
}, info) => {
	const baseURL = info.project.use.baseURL ?? '';
	const event = `/teams/${seeded.world.teamId}/events/${seeded.world.eventId}`;
	const volunteer = await contextFor(browser, seeded.volunteer, 'phone', 'zh-CN', baseURL);
	const page = await volunteer.newPage();
	await page.goto(`${event}/tasks`);
	await hydrated(page);
	const bar = page.getByTestId('event-tabbar');
	const tabs = bar.locator(':scope > ul > li > a');
	await expect(tabs).toHaveText(['概览', '任务', '我的一天', '签到', '突发情况']);
	await expect(bar.getByRole('link', { name: '任务' })).toHaveAttribute('aria-current', 'page');
	await expect(bar.getByRole('link', { name: '出勤' })).toBeHidden();
	// "More" opens the grouped rest; a volunteer is not offered attendance or funding.
	await bar.getByText('更多').click();
	const more = bar.locator('.more-panel');
	await expect(more.getByRole('heading', { name: '筹备' })).toBeVisible();
	await expect(more.getByRole('link', { name: '活动流程' })).toBeVisible();
	await expect(more.getByRole('link', { name: '出勤' })).toHaveCount(0);
	await expect(more.getByRole('link', { name: '经费' })).toHaveCount(0);
	await page.keyboard.press('Escape');
	await expect(more).toBeHidden();
	await volunteer.close();

	const captain = await contextFor(browser, seeded.captain, 'desktop', 'zh-CN', baseURL);
	const wide = await captain.newPage();
	await wide.goto(event);
	await hydrated(wide);
	const side = wide.locator('nav.side');
	for (const name of ['出勤', '经费', '捐赠', '时长', '活动总结', '编辑', '社区对接']) {
		await expect(side.getByRole('link', { name })).toBeInViewport();
	}
	await expect(side.getByRole('link', { name: '概览' })).toHaveAttribute('aria-current', 'page');
	await captain.close();
});

test('without JavaScript: the header menu holds the account and the language; the tab bar works', async ({
	browser
}, info) => {
	const context = await browser.newContext({
		...(await contextFor(browser, seeded.volunteer, 'phone', 'zh-CN', '').then(async (c) => {
			const state = await c.storageState();
			await c.close();
			return { storageState: state };
		})),
		baseURL: info.project.use.baseURL,
		viewport: { width: 360, height: 640 },
		locale: 'zh-CN',
		javaScriptEnabled: false
	});
	const page = await context.newPage();
	await page.goto('/teams');
	const header = page.locator('header.top');
	expect((await header.boundingBox())?.height ?? 99).toBeLessThanOrEqual(56);
	await expect(header.getByRole('button', { name: '退出登录' })).toBeHidden();
	await header.locator('summary').click();
	await expect(header.getByRole('link', { name: '我的账号' })).toBeVisible();
	// The current page is marked as rendered on the server, too.
	await page.goto(`/teams/${seeded.world.teamId}/events/${seeded.world.eventId}/me`);
	const bar = page.getByTestId('event-tabbar');
	await expect(bar.getByRole('link', { name: '我的一天' })).toHaveAttribute('aria-current', 'page');
	await bar.locator('summary').click();
	await expect(bar.getByRole('link', { name: '活动流程' })).toBeVisible();
	await header.locator('summary').click();
	await header.getByRole('button', { name: 'English' }).click();
	await expect(page.locator('header.top summary')).toContainText('Menu');
	await context.close();
});
