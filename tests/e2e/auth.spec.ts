import { expect, test, type Page } from '@playwright/test';
import { expectAccessible } from './axe';
import { headerMenu, signOut } from './nav';

// Every run starts on a fresh data folder, but the suite may run twice against one server.
const unique = () => `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
const PASSWORD = 'a good long password';

async function signUp(page: Page, email: string, name: string) {
	await page.goto('/sign-up?redirectTo=%2Faccount');
	await expectAccessible(page);
	await page.getByLabel('邮箱').fill(email);
	await page.getByLabel('称呼').fill(name);
	await page.getByLabel('密码').fill(PASSWORD);
	await page.getByRole('button', { name: '创建账号' }).click();
	await expect(page).toHaveURL(/\/account$/);
}

/** A sign-in with a wrong password: the one generic message, and the email kept. */
async function expectRefused(page: Page, email: string, password: string) {
	await page.getByLabel('邮箱').fill(email);
	await page.getByLabel('密码').fill(password);
	await page.getByRole('button', { name: '登录', exact: true }).click();
	await expect(page.getByRole('alert')).toHaveText('邮箱或密码不正确。');
	await expect(page.getByLabel('邮箱')).toHaveValue(email);
}

test.describe('accounts', () => {
	test('sign up, sign out and sign in again', async ({ page, context }) => {
		const email = `e2e-${unique()}@example.test`;
		await signUp(page, email, '测试志愿者');
		await expect(page).toHaveURL(/\/account$/);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('我的账号');
		await expect(page.getByText(email)).toBeVisible();
		await expect((await headerMenu(page)).getByRole('link', { name: '我的服务队' })).toBeVisible();
		await expectAccessible(page);

		const [cookie] = (await context.cookies()).filter((c) => c.name === 'session');
		expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/', secure: false });

		await signOut(page);
		await expect(page).toHaveURL(/\/$/);
		await expect(page.getByRole('link', { name: '登录' })).toBeVisible();
		expect((await context.cookies()).some((c) => c.name === 'session')).toBe(false);
		// The signed-out browser is sent to sign-in, which comes back here afterwards.
		await page.goto('/account');
		await expect(page).toHaveURL(/\/sign-in\?redirectTo=%2Faccount$/);
		await expectAccessible(page);

		await page.getByLabel('邮箱').fill(email);
		await page.getByLabel('密码').fill(PASSWORD);
		await page.getByRole('button', { name: '登录', exact: true }).click();
		await expect(page).toHaveURL(/\/account$/);
		await expect(page.getByText(email)).toBeVisible();
	});

	test('a wrong password gets the one generic message and keeps the email', async ({ page }) => {
		const email = `e2e-${unique()}@example.test`;
		await signUp(page, email, '测试');
		await signOut(page);
		await page.goto('/sign-in');
		await expectRefused(page, email, 'not the password');
		await expectAccessible(page);

		await page.getByLabel('邮箱').fill(`nobody-${unique()}@example.test`);
		await page.getByLabel('密码').fill(PASSWORD);
		// The alert already shows this text: wait for this submission's own answer.
		const answered = page.waitForResponse((r) => r.url().includes('?/signIn'));
		await page.getByRole('button', { name: '登录', exact: true }).click();
		expect((await answered).status()).toBe(200);
		await expect(page.getByRole('alert')).toHaveText('邮箱或密码不正确。');

		// With no redirectTo, signing in lands on the user's teams.
		await page.getByLabel('邮箱').fill(email);
		await page.getByLabel('密码').fill(PASSWORD);
		await page.getByRole('button', { name: '登录', exact: true }).click();
		await expect(page).toHaveURL(/\/teams$/);
	});

	test('sign-up shows field errors in the user language', async ({ browser }) => {
		const context = await browser.newContext({ locale: 'en-GB' });
		const page = await context.newPage();
		await page.goto('/sign-up');
		await page.getByLabel('Email').fill(`e2e-${unique()}@example.test`);
		await page.getByLabel('Name').fill('Tester');
		await page.getByLabel('Password').fill('short');
		// The browser's own minlength check would stop the form; the server must hold too.
		await page.locator('form.card').evaluate((form) => form.setAttribute('novalidate', ''));
		await page.getByRole('button', { name: 'Create account' }).click();
		await expect(page.getByText('The password needs at least 8 characters.')).toBeVisible();
		await expect(page.getByLabel('Password')).toHaveAttribute('aria-invalid', 'true');
		await expect(page.getByLabel('Name')).toHaveValue('Tester');
		await expectAccessible(page);
		await context.close();
	});

	test('the sign-in form works with JavaScript off', async ({ browser, page }) => {
		const email = `e2e-${unique()}@example.test`;
		await signUp(page, email, '无脚本');

		const context = await browser.newContext({ javaScriptEnabled: false });
		const noJs = await context.newPage();
		await noJs.goto('/sign-in?redirectTo=%2Faccount');
		await expectRefused(noJs, email, 'wrong password');

		await noJs.getByLabel('密码').fill(PASSWORD);
		await noJs.getByRole('button', { name: '登录', exact: true }).click();
		await expect(noJs).toHaveURL(/\/account$/);
		await expect(noJs.getByText(email)).toBeVisible();
		// No axe here: it runs as page script, which this context forbids; the same pages are
		// checked with JavaScript on in the other journeys.

		await signOut(noJs);
		await expect(noJs).toHaveURL(/\/$/);
		await context.close();
	});

	test('the account page saves the name and changes the password', async ({ page }) => {
		const email = `e2e-${unique()}@example.test`;
		await signUp(page, email, '旧名字');
		await page.getByLabel('称呼').fill('新名字');
		await page.getByRole('button', { name: '保存' }).click();
		await expect(page.getByRole('status')).toHaveText('已保存。');
		await expect(page.getByLabel('称呼')).toHaveValue('新名字');

		await page.getByLabel('当前密码').fill('not my password');
		await page.getByLabel('新密码').fill('another long password');
		await page.getByRole('button', { name: '修改密码' }).click();
		await expect(page.getByText('当前密码不正确。')).toBeVisible();
		await expectAccessible(page);

		await page.getByLabel('当前密码').fill(PASSWORD);
		await page.getByLabel('新密码').fill('another long password');
		await page.getByRole('button', { name: '修改密码' }).click();
		await expect(page.getByRole('status')).toHaveText('密码已修改，其他设备上的登录已全部退出。');
	});
});

test('an unknown or spent reset link explains itself and offers no form', async ({ page }) => {
	const response = await page.goto(`/reset/${'a'.repeat(32)}`);
	expect(response?.headers()['referrer-policy']).toBe('same-origin');
	await expect(page.getByRole('alert')).toContainText('该重置链接无效、已使用或已过期');
	await expect(page.getByLabel('新密码')).toHaveCount(0);
	await expectAccessible(page);
});

test.describe('request protection', () => {
	test('the 11th failed sign-in in a row is refused with 429 and Retry-After', async ({
		request,
		baseURL
	}) => {
		const email = `locked-${unique()}@example.test`;
		const attempt = () =>
			request.post('/sign-in?/signIn', {
				form: { email, password: 'wrong password' },
				// A browser without JavaScript: the page itself, with the failure's status.
				headers: { origin: baseURL ?? '', accept: 'text/html' },
				maxRedirects: 0
			});
		for (let i = 0; i < 10; i++) expect((await attempt()).status()).toBe(400);
		const refused = await attempt();
		expect(refused.status()).toBe(429);
		expect(Number(refused.headers()['retry-after'])).toBeGreaterThan(0);
	});

	test('a cookie-authenticated request from another origin is refused', async ({
		page,
		baseURL
	}) => {
		await signUp(page, `csrf-${unique()}@example.test`, '跨站');
		const forged = await page.request.post('/account?/updateProfile', {
			data: JSON.stringify({ displayName: 'pwned' }),
			headers: { origin: 'https://evil.example', 'content-type': 'application/json' }
		});
		expect(forged.status()).toBe(403);
		expect(await forged.text()).toBe('该请求来自其他网站，已被拒绝。');
		const sameSite = await page.request.post('/sign-out', {
			headers: { origin: baseURL ?? '' },
			maxRedirects: 0
		});
		expect(sameSite.status()).toBe(303);
	});
});

test('what someone types before the page script arrives survives hydration', async ({ page }) => {
	// A slow phone: the page is usable before its JavaScript has loaded.
	let release: () => void = () => {};
	const gate = new Promise<void>((resolve) => (release = resolve));
	await page.route('**/_app/immutable/**/*.js', async (route) => {
		await gate;
		await route.continue();
	});
	await page.goto('/sign-in', { waitUntil: 'domcontentloaded' });
	await page.getByLabel('邮箱').fill('early@example.test');
	release();
	await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
	await expect(page.getByLabel('邮箱')).toHaveValue('early@example.test');
});
