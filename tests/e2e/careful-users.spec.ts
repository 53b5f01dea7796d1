// What careful users found (issue 22, items 6–12), each tried in a real browser. The team is
// built over HTTP through the app's own forms (seed-world), then the captain's session is
// handed to a browser context.
import { expect, test, type Browser, type Page } from '@playwright/test';
import { expectAccessible } from './axe';
import { seedTeam, type SeededTeam } from './seed-world';

const origin = () => `http://localhost:${process.env.E2E_PORT ?? 4173}`;

async function asCaptain(browser: Browser, seeded: SeededTeam): Promise<Page> {
	const context = await browser.newContext({ storageState: await seeded.captain.api.storageState() });
	return context.newPage();
}

const eventPath = ({ world }: SeededTeam) => `/teams/${world.teamId}/events/${world.eventId}`;

test('receiving more than pledged keeps the pledge and asks before recording the extra', async ({
	browser
}) => {
	const seeded = await seedTeam(origin(), 'donations');
	const page = await asCaptain(browser, seeded);
	await page.goto(`${eventPath(seeded)}/donations`);
	await page.waitForLoadState('networkidle');
	const card = page.getByTestId('donation');
	const quantity = card.getByLabel(/^收到的数量：/);
	await quantity.fill('15');
	await card.getByRole('button', { name: '登记收到' }).click();
	await expect(card.getByTestId('received')).toHaveText('15 books');

	await quantity.fill('30');
	await card.getByRole('button', { name: '登记收到' }).click();
	await expect(card.getByText('这超出了尚未收到的认捐数量')).toBeVisible();
	await expect(card.getByTestId('received')).toHaveText('15 books');
	await expect(card.getByTestId('pledged')).toHaveText('20 books');
	await expectAccessible(page);

	await card.getByRole('button', { name: '确认超出认捐并登记' }).click();
	await expect(card.getByTestId('received')).toHaveText('45 books');
	await expect(card.getByTestId('pledged')).toHaveText('20 books');
	await expect(card.getByTestId('beyond-pledge')).toHaveText('已收到 45 / 认捐 20（超出认捐 25）');
	await page.reload();
	await expect(card.getByTestId('pledged')).toHaveText('20 books');
});
