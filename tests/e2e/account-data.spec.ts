import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { expectAccessible } from './axe';
import { PASSWORD, unique } from './http-client';
import { createTeam, fillSignUp, signUpThroughForm } from './seed';

test('a volunteer downloads their data and deletes their account; the captain reads the audit log', async ({
	browser
}) => {
	const captain = await signUpThroughForm(browser, '林晓', `captain-${unique()}@example.test`);
	await createTeam(captain, '外国语学院志愿服务队');
	const teamUrl = new URL(captain.url()).pathname;
	await captain.getByRole('button', { name: '生成邀请链接' }).click();
	const inviteUrl = await captain.getByTestId('invite-url').inputValue();

	const volunteerContext = await browser.newContext();
	const volunteer = await volunteerContext.newPage();
	const volunteerEmail = `volunteer-${unique()}@example.test`;
	await volunteer.goto(inviteUrl);
	await volunteer.getByRole('link', { name: '注册并加入' }).click();
	await fillSignUp(volunteer, '王芳', volunteerEmail);
	await expect(volunteer).toHaveURL(new RegExp(`${teamUrl}$`));

	// The captain makes them a leader: an audited change.
	await captain.reload();
	const row = captain.getByTestId('member').filter({ hasText: '王芳' });
	await row.getByLabel('王芳 的角色').selectOption('leader');
	await row.getByRole('button', { name: '修改角色' }).click();
	await expect(captain.getByText('已保存。')).toBeVisible();

	// The volunteer's copy of their data: a JSON download, never cached.
	await volunteer.goto('/account');
	await expect(volunteer.getByRole('heading', { name: '我的数据' })).toBeVisible();
	await expectAccessible(volunteer);
	const [download] = await Promise.all([
		volunteer.waitForEvent('download'),
		volunteer.getByRole('link', { name: '下载我的数据（JSON）' }).click()
	]);
	expect(download.suggestedFilename()).toMatch(/^tongxing-my-data-\d{4}-\d{2}-\d{2}\.json$/);
	const exported = JSON.parse(await readFile((await download.path())!, 'utf8'));
	expect(exported.profile).toMatchObject({ email: volunteerEmail, displayName: '王芳' });
	expect(exported.teams).toEqual([
		expect.objectContaining({ teamName: '外国语学院志愿服务队', role: 'leader' })
	]);
	expect(JSON.stringify(exported)).not.toContain('林晓');
	const response = await volunteer.request.get('/account/export');
	expect(response.headers()['content-disposition']).toMatch(/^attachment; filename=/);
	expect(response.headers()['cache-control']).toBe('no-store');

	// Not a captain: the audit log is refused.
	const refused = await volunteer.goto(`${teamUrl}/audit`);
	expect(refused?.status()).toBe(403);

	// The captain finds the log from the team page.
	await captain.goto(teamUrl);
	await captain.getByRole('link', { name: '操作日志' }).click();
	await expect(captain.getByRole('heading', { level: 1 })).toHaveText('操作日志');
	await expect(captain.getByText('林晓 将 王芳 的角色从志愿者改为小组长。')).toBeVisible();
	await expectAccessible(captain);

	// The sole captain cannot delete their account before handing over.
	await captain.goto('/account');
	await expect(captain.getByText('你是以下服务队唯一的队长')).toBeVisible();
	captain.once('dialog', (dialog) => void dialog.accept());
	await captain.getByLabel('输入密码以确认').fill(PASSWORD);
	await captain.getByRole('button', { name: '注销我的账户' }).click();
	await expect(captain.getByRole('alert')).toContainText('唯一的队长');

	// The volunteer deletes their account: a wrong password first, then the right one.
	await volunteer.goto('/account');
	volunteer.on('dialog', (dialog) => void dialog.accept());
	await volunteer.getByLabel('输入密码以确认').fill('not my password');
	await volunteer.getByRole('button', { name: '注销我的账户' }).click();
	await expect(volunteer.getByText('密码不正确。')).toBeVisible();
	await expectAccessible(volunteer);
	await volunteer.getByLabel('输入密码以确认').fill(PASSWORD);
	await volunteer.getByRole('button', { name: '注销我的账户' }).click();
	await expect(volunteer).toHaveURL(/\/$/);
	await expect(volunteer.getByRole('link', { name: '登录' })).toBeVisible();

	// Signed out everywhere, and the old password opens nothing.
	await volunteer.goto('/sign-in');
	await volunteer.getByLabel('邮箱').fill(volunteerEmail);
	await volunteer.getByLabel('密码').fill(PASSWORD);
	await volunteer.getByRole('button', { name: '登录', exact: true }).click();
	await expect(volunteer.getByText('邮箱或密码不正确。')).toBeVisible();

	// The team no longer lists them; the log names them by nothing but "deleted user".
	await captain.goto(teamUrl);
	await expect(captain.getByTestId('member').filter({ hasText: '王芳' })).toHaveCount(0);
	await captain.goto(`${teamUrl}/audit`);
	await expect(
		captain.getByText('已注销用户 注销了账户并退出服务队（释放报名 0 个）。')
	).toBeVisible();
	await expect(captain.getByText('林晓 将 已注销用户 的角色从志愿者改为小组长。')).toBeVisible();
	await expect(captain.getByText('王芳')).toHaveCount(0);
	await expectAccessible(captain);

	await captain.context().close();
	await volunteerContext.close();
});
