import { expect, test, type Browser, type Page } from '@playwright/test';
import { expectAccessible } from './axe';
import { unique } from './http-client';
import { createTeam, fillSignUp, signUpThroughForm } from './seed';

async function signUp(page: Page, name: string, email: string) {
	await expectAccessible(page);
	await fillSignUp(page, name, email);
}

const signUpAs = (browser: Browser, name: string, email: string) =>
	signUpThroughForm(browser, name, email, { isAccessibilityChecked: true });

test('captain invites a volunteer, who joins; the captain promotes them to leader', async ({
	browser
}) => {
	const captain = await signUpAs(browser, '林晓', `captain-${unique()}@example.test`);
	await expect(captain.getByRole('heading', { level: 1 })).toHaveText('我的服务队');
	await expectAccessible(captain);
	await createTeam(captain, '信息学院志愿服务队');
	await expect(captain.getByRole('heading', { level: 1 })).toHaveText('信息学院志愿服务队');
	await expectAccessible(captain);
	await captain.getByLabel('最多使用次数（1–1000）').fill('5');
	await captain.getByRole('button', { name: '生成邀请链接' }).click();
	const inviteUrl = await captain.getByTestId('invite-url').inputValue();
	expect(inviteUrl).toMatch(/\/invite\/[a-z2-7]{26,}$/);
	await expectAccessible(captain);

	// A second person, not signed in, opens the link, signs up and lands in the team.
	const volunteerContext = await browser.newContext();
	const volunteer = await volunteerContext.newPage();
	await volunteer.goto(inviteUrl);
	await expect(volunteer.getByText('信息学院志愿服务队').first()).toBeVisible();
	await expectAccessible(volunteer);
	await volunteer.getByRole('link', { name: '注册并加入' }).click();
	await signUp(volunteer, '张伟', `volunteer-${unique()}@example.test`);
	await expect(volunteer).toHaveURL(/\/teams\/[0-9a-f-]{36}$/);
	await expect(volunteer.getByRole('heading', { level: 1 })).toHaveText('信息学院志愿服务队');
	const me = volunteer.getByTestId('member').filter({ hasText: '张伟' });
	await expect(me).toContainText('志愿者');
	// Volunteers see no one's email.
	await expect(volunteer.getByRole('link', { name: /@example\.test/ })).toHaveCount(1);

	// The captain promotes the volunteer.
	await captain.reload();
	const row = captain.getByTestId('member').filter({ hasText: '张伟' });
	await row.getByLabel('张伟 的角色').selectOption('leader');
	await row.getByRole('button', { name: '修改角色' }).click();
	await expect(captain.getByText('已保存。')).toBeVisible();

	await volunteer.reload();
	await expect(volunteer.getByTestId('member').filter({ hasText: '张伟' })).toContainText('小组长');
	await expectAccessible(volunteer);

	await captain.context().close();
	await volunteerContext.close();
});

test('a non-member gets 404 on a team URL', async ({ browser }) => {
	const page = await signUpAs(browser, '路人', `stranger-${unique()}@example.test`);
	const response = await page.goto('/teams/00000000-0000-4000-8000-000000000000');
	expect(response?.status()).toBe(404);
	const malformed = await page.goto('/teams/not-a-uuid');
	expect(malformed?.status()).toBe(404);
	await page.context().close();
});

test('a captain hands a member a one-time reset link; it works once', async ({ browser }) => {
	const captain = await signUpAs(browser, '队长', `captain-${unique()}@example.test`);
	await createTeam(captain, '重置测试队');
	await captain.getByRole('button', { name: '生成邀请链接' }).click();
	const inviteUrl = await captain.getByTestId('invite-url').inputValue();

	const memberEmail = `member-${unique()}@example.test`;
	const memberContext = await browser.newContext();
	const member = await memberContext.newPage();
	await member.goto(inviteUrl);
	await member.getByRole('link', { name: '注册并加入' }).click();
	await signUp(member, '李娜', memberEmail);
	await expect(member).toHaveURL(/\/teams\/[0-9a-f-]{36}$/);
	await memberContext.close();

	await captain.reload();
	const row = captain.getByTestId('member').filter({ hasText: '李娜' });
	await row.getByRole('button', { name: '生成重置密码链接' }).click();
	const resetUrl = await row.getByRole('textbox', { name: '生成重置密码链接' }).inputValue();
	expect(resetUrl).toMatch(/\/reset\/[a-z2-7]{26,}$/);

	const forgetful = await (await browser.newContext()).newPage();
	await forgetful.goto(resetUrl);
	await expectAccessible(forgetful);
	await forgetful.getByLabel('新密码').fill('a-brand-new-password');
	await forgetful.getByRole('button', { name: '设置密码' }).click();
	await expect(forgetful.getByText('新密码已设置')).toBeVisible();

	await forgetful.goto('/sign-in');
	await forgetful.getByLabel('邮箱').fill(memberEmail);
	await forgetful.getByLabel('密码').fill('a-brand-new-password');
	await forgetful.getByRole('button', { name: '登录' }).click();
	await expect(forgetful).toHaveURL(/\/teams$/);

	// Single use: the link now says it is spent.
	await forgetful.goto(resetUrl);
	await expect(forgetful.getByText('该重置链接无效、已使用或已过期')).toBeVisible();
	await captain.context().close();
});
