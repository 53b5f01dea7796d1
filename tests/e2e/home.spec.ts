import { expect, test } from '@playwright/test';
import { expectAccessible } from './axe';
import { headerMenu } from './nav';
import { spawnApp } from '../support/app-server';

test.describe('home page and languages', () => {
	test('serves zh-CN by default and for every zh tag', async ({ browser }) => {
		for (const locale of ['zh-CN', 'zh-TW', 'fr-FR']) {
			const context = await browser.newContext({ locale });
			const page = await context.newPage();
			await page.goto('/');
			await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
			await expect(page.getByRole('heading', { level: 1 })).toHaveText('同行');
			await expectAccessible(page);
			await context.close();
		}
	});

	test('serves English to an English browser and switches language both ways', async ({
		browser
	}) => {
		const context = await browser.newContext({ locale: 'en-GB' });
		const page = await context.newPage();
		await page.goto('/');
		await expect(page.locator('html')).toHaveAttribute('lang', 'en');
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Tongxing');
		await expectAccessible(page);

		await (await headerMenu(page)).getByRole('button', { name: '中文' }).click();
		await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('同行');
		await expect((await headerMenu(page)).getByRole('button', { name: '中文' })).toHaveAttribute(
			'aria-pressed',
			'true'
		);
		// The choice sticks across navigation.
		await page.reload();
		await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
		await context.close();
	});

	test('the language switch works without JavaScript', async ({ browser }) => {
		const context = await browser.newContext({ javaScriptEnabled: false, locale: 'zh-CN' });
		const page = await context.newPage();
		await page.goto('/');
		await (await headerMenu(page)).getByRole('button', { name: 'English' }).click();
		await expect(page.locator('html')).toHaveAttribute('lang', 'en');
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Tongxing');
		await context.close();
	});

	test('an unknown page is a friendly 404 in the user language', async ({ page }) => {
		const response = await page.goto('/no-such-page');
		expect(response?.status()).toBe(404);
		await expect(page.getByRole('alert')).toContainText('找不到这个页面');
		await expectAccessible(page);
	});
});

test.describe('server', () => {
	test('reports embedded mode and a healthy database', async ({ request }) => {
		const response = await request.get('/api/health');
		expect(response.status()).toBe(200);
		expect(await response.json()).toEqual({ status: 'ok', mode: 'embedded', db: 'ok' });
	});

	test('a second server on the same data folder refuses to start', async () => {
		const second = spawnApp({ port: 4199, dataDir: process.env.E2E_DATA_DIR, echo: 'none' });
		const code = await second.exited;
		expect(code).toBe(1);
		expect(second.output()).toMatch(/in use by another Tongxing process \(pid \d+\)/);
	});
});
