import { expect, test, type Page, type WebSocket } from '@playwright/test';
import { unique } from './http-client';
import { goToEventPage } from './nav';
import { newEvent, publishEvent, teamWithMembers, JULY_MORNING } from './seed';

// Issue 18 (3): one realtime connection per tab, shared by every live part of a page (event and
// team topics, presence) and kept across the app's pages (src/lib/realtime/connection.ts). So a
// person who changes page stays in who-is-here instead of leaving and joining again.
const status = (page: Page) => page.getByTestId('live-status').getByRole('status');

/** From now on, every moment the page's who-is-here does not name `name` (it did at the start). */
async function watchAbsence(page: Page, name: string): Promise<() => Promise<string[]>> {
	await page.evaluate((name) => {
		const absences: string[] = [];
		(window as unknown as { absences: string[] }).absences = absences;
		const check = () => {
			const here = document.querySelector('[data-testid="present"]')?.textContent ?? '';
			if (!here.includes(name)) absences.push(`${Date.now()}: ${JSON.stringify(here)}`);
		};
		check();
		new MutationObserver(check).observe(document.body, {
			subtree: true,
			childList: true,
			characterData: true
		});
	}, name);
	return () => page.evaluate(() => (window as unknown as { absences: string[] }).absences);
}

test('one socket per tab across the app’s pages; a person changing page stays present', async ({
	browser
}) => {
	const {
		captain,
		members: [volunteer]
	} = await teamWithMembers(browser, `游园会服务队 ${unique()}`, [['volunteer', '周敏']]);
	await newEvent(captain, { title: '社区游园会', ...JULY_MORNING });
	await publishEvent(captain);
	const eventUrl = captain.url();

	// Every realtime socket the volunteer's tab opens, and those that close.
	const sockets: WebSocket[] = [];
	const closed: string[] = [];
	volunteer.on('websocket', (ws) => {
		if (!ws.url().includes('/realtime/v1/websocket')) return;
		sockets.push(ws);
		ws.on('close', () => closed.push(ws.url()));
	});
	await volunteer.goto(eventUrl);
	await expect(status(volunteer)).toHaveAttribute('data-state', 'live');
	await expect(captain.getByTestId('present')).toContainText('周敏');
	await expect(volunteer.getByTestId('present')).toContainText('林晓');
	const absences = await watchAbsence(captain, '周敏');

	// Through the event's pages, each with its live parts (the board's own hints, My day's)…
	for (const [link, heading] of [
		['任务', '任务'],
		['活动流程', '活动流程'],
		['概览', '社区游园会']
	] as const) {
		await goToEventPage(volunteer, link, { exact: true });
		await expect(volunteer.getByRole('heading', { name: heading, exact: true })).toBeVisible();
		await expect(status(volunteer)).toHaveAttribute('data-state', 'live');
		await expect(volunteer.getByTestId('present')).toContainText('林晓');
	}
	// …and to the team's page (its own topic and presence) and back within a few seconds.
	await volunteer.getByRole('link', { name: '返回服务队' }).click();
	await expect(volunteer.getByRole('link', { name: '社区游园会' })).toBeVisible();
	await expect(status(volunteer)).toHaveAttribute('data-state', 'live');
	await expect(volunteer.getByTestId('present')).toContainText('周敏');
	await volunteer.getByRole('link', { name: '社区游园会' }).click();
	await expect(volunteer.getByRole('heading', { name: '社区游园会', level: 1 })).toBeVisible();
	await expect(status(volunteer)).toHaveAttribute('data-state', 'live');
	// A leave would reach the captain's page within a second or so.
	await volunteer.waitForTimeout(1_500);

	expect(sockets).toHaveLength(1);
	expect(closed).toEqual([]);
	expect(await absences()).toEqual([]);
	await expect(captain.getByTestId('present')).toContainText('周敏');

	// A full page load starts the tab's scripts afresh: that, and only that, opens a second one.
	await volunteer.reload();
	await expect(status(volunteer)).toHaveAttribute('data-state', 'live');
	expect(sockets).toHaveLength(2);
});
