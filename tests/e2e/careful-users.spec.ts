// What careful users found (issue 22, items 6–12), each tried in a real browser. The team is
// built over HTTP through the app's own forms (seed.ts), then the captain's session is
// handed to a browser context.
import { expect, test, type Browser, type Page } from '@playwright/test';
import { expectAccessible } from './axe';
import { seedTeam, type SeededTeam } from './seed';
import { Client } from './http-client';
import { readFile } from 'node:fs/promises';
import { headerMenu } from './nav';

const origin = () => `http://localhost:${process.env.E2E_PORT ?? 4173}`;

async function asCaptain(browser: Browser, seeded: SeededTeam): Promise<Page> {
	const context = await browser.newContext({
		storageState: await seeded.captain.storageState()
	});
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
	// Shown by the quantity field it concerns, and announced in the card's live region.
	await expect(quantity).toHaveAccessibleDescription(/这超出了尚未收到的认捐数量/);
	await expect(card.getByTestId('donation-answer')).toContainText('这超出了尚未收到的认捐数量');
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

test('a contact with an open proposal cannot confirm the original; they withdraw it first', async ({
	browser
}) => {
	const seeded = await seedTeam(origin(), 'contact');
	const linkUrl = `/c/${seeded.tokens.contact}`;
	const contact = await (
		await browser.newContext({ viewport: { width: 360, height: 640 } })
	).newPage();
	await contact.goto(linkUrl);
	await expect(contact.getByText('告诉服务队：社区同意上面的日期、时间和地点。')).toBeVisible();
	await contact.getByText('提出其他日期、时间或场地').click();
	await contact.getByLabel('建议日期').fill('2030-07-21');
	await contact.getByRole('button', { name: '发送修改建议' }).click();
	await expect(contact.getByText('您的建议已发送给服务队。')).toBeVisible();
	await expect(contact.getByRole('button', { name: '确认日期和场地' })).toHaveCount(0);
	await expect(contact.getByTestId('open-proposal')).toContainText('服务队尚未答复');
	await expect(contact.getByText('收回您的提议。上面的日期、时间和地点保持不变')).toBeVisible();
	await expectAccessible(contact);

	// The old page's confirm form, sent anyway (a second tab, a back button): refused.
	const refused = await contact.request.post(`${linkUrl}?/confirm`, {
		form: {},
		headers: { origin: origin(), accept: 'text/html' }
	});
	expect(refused.status()).toBe(409);
	expect(await refused.text()).toContain('请先撤回您的提议');
	const captain = await asCaptain(browser, seeded);
	await captain.goto(eventPath(seeded));
	await expect(captain.getByTestId('contact-summary')).toHaveText('社区提出了修改');

	await contact.getByRole('button', { name: '撤回我的提议' }).click();
	await expect(contact.getByText('您的提议已撤回。上面的安排尚未确认。')).toBeVisible();
	await expect(contact.getByText('撤回了提议')).toBeVisible();
	await contact.getByRole('button', { name: '确认日期和场地' }).click();
	await expect(contact.getByText('您已确认。')).toBeVisible();
	await captain.reload();
	await expect(captain.getByTestId('contact-summary')).toHaveText('社区已确认');
	await expect(captain.locator('dd', { hasText: '2030年7月20日' })).toBeVisible();
});

test('the attendance board counts who left apart from who is here', async ({ browser }) => {
	const seeded = await seedTeam(origin(), 'board');
	const page = await asCaptain(browser, seeded);
	await page.goto(`${eventPath(seeded)}/attendance`);
	await page.waitForLoadState('networkidle');
	const totals = page.getByTestId('attendance-totals');
	await expect(totals).toHaveText('到场 0 / 应到 1 · 迟到 0 · 已离开 0');
	await page.getByRole('button', { name: /^为Captain board .*签到$/ }).click();
	await expect(totals).toHaveText('到场 1 / 应到 1 · 迟到 0 · 已离开 0');
	await page.getByRole('button', { name: /^为Captain board .*签退$/ }).click();
	await expect(totals).toHaveText('到场 0 / 应到 1 · 迟到 0 · 已离开 1');
	await expectAccessible(page);
});

test('hours are rounded by one rule: the summary, the hours page and the CSV agree', async ({
	browser
}) => {
	const seeded = await seedTeam(origin(), 'hours');
	const page = await asCaptain(browser, seeded);
	const event = eventPath(seeded);
	await page.goto(`${event}/attendance`);
	await page.waitForLoadState('networkidle');
	await page.getByRole('button', { name: /^为Captain hours .*签到$/ }).click();
	await page.getByRole('button', { name: /^为Captain hours .*签退$/ }).click();
	await expect(page.getByTestId('attendance-totals')).toContainText('已离开 1');

	await page.goto(`${event}/hours`);
	await expect(page.locator('tbody td.num')).toHaveText(['0.0']);
	await expect(page.locator('tfoot td.num')).toHaveText('0.0');
	await page.goto(`${event}/summary`);
	await expect(page.getByTestId('summary-volunteers')).toContainText(
		'到场志愿者 1 人，共 0.0 小时。'
	);
	await expect(page.locator('article table tbody td.num').first()).toHaveText('0.0');
	const csv = await page.request.get(`${event}/hours/hours.csv`);
	expect(csv.status()).toBe(200);
	const [, row] = (await csv.text()).split('\r\n');
	expect(row.split(',')[4]).toBe('0.0');
});

test('dead links answer 404 (unknown) or 410 (revoked, used) with the same clear page', async ({
	browser
}) => {
	const volunteer = await Client.open(origin());
	const seeded = await seedTeam(origin(), 'links', volunteer);
	const { captain, world } = seeded;
	const team = `/teams/${world.teamId}`;
	const reset = await captain.post(
		team,
		'resetLink',
		{ userId: world.volunteerId },
		{ enhanced: true }
	);
	const resetToken = reset.text.match(/\/reset\/([A-Za-z0-9_-]+)/)?.[1];
	expect(resetToken, reset.text.slice(0, 300)).toBeTruthy();

	const page = await (await browser.newContext()).newPage();
	const expectDead = async (path: string, status: number, message: string) => {
		const response = await page.goto(path);
		expect(response?.status(), path).toBe(status);
		expect(response?.headers()['cache-control'], path).toBe('no-store');
		await expect(page.getByTestId('link-gone')).toContainText(message);
		await expect(page.locator('main form')).toHaveCount(0);
	};
	const bogus = 'q'.repeat(32);
	await expectDead(`/c/${bogus}`, 404, '链接无效。请检查链接是否完整');
	await expectDead(`/reset/${bogus}`, 404, '该重置链接无效、已使用或已过期');
	await expectDead(`/invite/${bogus}`, 404, '这个邀请链接无效');
	await expectAccessible(page);

	// The same links once revoked or used: 410, the same page.
	expect((await page.goto(`/c/${seeded.tokens.contact}`))?.status()).toBe(200);
	await captain.post(
		`${team}/events/${world.eventId}/contact`,
		'revokeLink',
		{},
		{ enhanced: true }
	);
	await expectDead(`/c/${seeded.tokens.contact}`, 410, '此链接已被服务队停用');
	expect((await page.goto(`/invite/${seeded.tokens.invite}`))?.status()).toBe(200);
	await captain.post(team, 'revokeInvite', { inviteId: world.inviteId }, { enhanced: true });
	await expectDead(`/invite/${seeded.tokens.invite}`, 410, '这个邀请链接已被撤销');
	await expectAccessible(page);
	expect((await page.goto(`/reset/${resetToken}`))?.status()).toBe(200);
	const anonymous = await Client.open(origin());
	const used = await anonymous.post(`/reset/${resetToken}`, 'reset', {
		newPassword: 'quiet harbour lantern 7291'
	});
	expect(used.status, used.text.slice(0, 300)).toBe(200);
	expect(used.text).toContain('新密码已设置');
	await expectDead(`/reset/${resetToken}`, 410, '该重置链接无效、已使用或已过期');
});

test('the event page’s .ics download carries the reminders and the volunteer’s own tasks', async ({
	browser
}) => {
	const seeded = await seedTeam(origin(), 'ics');
	const { captain, world } = seeded;
	const event = eventPath(seeded);
	const claimed = await captain.post(
		`${event}/tasks`,
		'claim',
		{ taskId: world.taskId, key: crypto.randomUUID() },
		{ enhanced: true }
	);
	expect(claimed.status, claimed.text.slice(0, 300)).toBe(200);
	const page = await asCaptain(browser, seeded);
	await page.goto(event);
	const [download] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('link', { name: '下载日历文件（.ics）' }).click()
	]);
	const body = await readFile(await download.path(), 'utf8');
	expect(body).toContain(`UID:${world.eventId}@tongxing`);
	expect(body).toContain(`UID:${world.taskId}@tongxing`);
	expect(body).toContain('SUMMARY:Dragon dance');
	expect(body.match(/BEGIN:VALARM/g)?.length).toBeGreaterThanOrEqual(4);
	expect(body).toContain('TRIGGER:-P1D');
	expect(body).toContain('TRIGGER:-PT1H');
});

test('the header’s sign-up and sign-in links on an invite keep it: the account joins the team', async ({
	browser
}) => {
	const seeded = await seedTeam(origin(), 'invite');
	const team = `/teams/${seeded.world.teamId}`;
	const inviteUrl = `/invite/${seeded.tokens.invite}`;
	const header = (page: Page) => page.locator('header.top');

	const newcomer = await (await browser.newContext()).newPage();
	await newcomer.goto(inviteUrl);
	await (await headerMenu(newcomer)).getByRole('link', { name: '注册' }).click();
	await newcomer.waitForLoadState('networkidle');
	await newcomer.getByLabel('邮箱').fill(`newcomer-${Date.now()}@example.test`);
	await newcomer.getByLabel('称呼').fill('新同学');
	await newcomer.getByLabel('密码').fill('volunteer-day-2026');
	await newcomer.getByRole('button', { name: '创建账号' }).click();
	await expect(newcomer).toHaveURL(new RegExp(`${team}$`));

	const email = `returning-${Date.now()}@example.test`;
	const account = await Client.open(origin());
	const made = await account.post('/sign-up', 'signUp', {
		email,
		displayName: '老同学',
		password: 'volunteer-day-2026'
	});
	expect(made.status).toBe(303);
	const returning = await (await browser.newContext()).newPage();
	await returning.goto(inviteUrl);
	await header(returning).getByRole('link', { name: '登录' }).click();
	await returning.waitForLoadState('networkidle');
	await returning.getByLabel('邮箱').fill(email);
	await returning.getByLabel('密码').fill('volunteer-day-2026');
	await returning.getByRole('button', { name: '登录', exact: true }).click();
	await expect(returning).toHaveURL(new RegExp(`${team}$`));
	await expectAccessible(returning);
});
