import { expect, test, type Page } from '@playwright/test';
import { expectAccessible } from './axe';
import { unique } from './http-client';
import { createTeam, inviteLink, joinByLink, signedInPage } from './seed';

test('the team page is live: joins, role changes, presence and reconnection', async ({
	browser,
	request
}) => {
	const captain = await signedInPage(browser, '林晓');
	await createTeam(captain, `实时测试队 ${unique()}`);
	const teamUrl = captain.url();

	// A leader joins and opens the team page too.
	const leaderInvite = await inviteLink(captain, 'leader');
	const leader = await signedInPage(browser, '王磊');
	await joinByLink(leader, leaderInvite);
	await expect(leader).toHaveURL(teamUrl);

	const status = (page: Page) => page.getByTestId('live-status').getByRole('status');
	await expect(status(captain)).toHaveAttribute('data-state', 'live');
	await expect(status(leader)).toHaveAttribute('data-state', 'live');
	await expect(captain.getByTestId('present')).toContainText('王磊');
	await expect(captain.getByTestId('present')).toContainText('林晓');
	await expect(leader.getByTestId('present')).toContainText('林晓');
	await expectAccessible(leader);

	// The leader's page shows the leader's own row; the captain's shows it without reload.
	await expect(captain.getByTestId('member').filter({ hasText: '王磊' })).toContainText('小组长');

	// A volunteer joins through an invite: both open pages show them within 2 seconds.
	const volunteerInvite = await inviteLink(captain, 'volunteer');
	const volunteer = await signedInPage(browser, '张伟');
	await joinByLink(volunteer, volunteerInvite);
	await expect(volunteer).toHaveURL(teamUrl);
	await expect(leader.getByTestId('member').filter({ hasText: '张伟' })).toBeVisible({
		timeout: 2_000
	});

	// A role change made by the captain appears on the leader's page within 2 seconds.
	const row = captain.getByTestId('member').filter({ hasText: '张伟' });
	await row.getByLabel('张伟 的角色').selectOption('leader');
	await row.getByRole('button', { name: '修改角色' }).click();
	await expect(captain.getByText('已保存。')).toBeVisible();
	await expect(leader.getByTestId('member').filter({ hasText: '张伟' })).toContainText('小组长', {
		timeout: 2_000
	});

	// The server drops every socket and refuses new ones for 3 seconds.
	const drop = await request.post('/api/test/realtime-drop?refuseForMs=3000');
	expect(drop.ok()).toBe(true);
	await expect(status(leader)).toHaveAttribute('data-state', 'reconnecting');
	// A change made while the leader's page is cut off…
	const row2 = captain.getByTestId('member').filter({ hasText: '张伟' });
	await row2.getByLabel('张伟 的角色').selectOption('volunteer');
	await row2.getByRole('button', { name: '修改角色' }).click();
	await expect(captain.getByText('已保存。')).toBeVisible();
	// …is on the page within 5 seconds of reconnecting.
	await expect(status(leader)).toHaveAttribute('data-state', 'live', { timeout: 15_000 });
	await expect(leader.getByTestId('member').filter({ hasText: '张伟' })).toContainText('志愿者', {
		timeout: 5_000
	});
});
