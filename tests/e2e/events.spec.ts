import { expect, test, type Page } from '@playwright/test';
import { expectAccessible } from './axe';
import {
	createTeam,
	fillNewEvent,
	fillSignUp,
	inviteLink,
	joinAs,
	signedInPage,
	publishEvent
} from './seed';
import { goToEventPage } from './nav';

async function addGroup(page: Page, name: string, leader: string) {
	const form = page.getByRole('region', { name: '新建小组' });
	await form.getByLabel('小组名称').fill(name);
	await form.getByLabel('儿童人数').fill('8');
	await form.getByLabel('小组长').selectOption({ label: leader });
	await form.getByRole('button', { name: '添加小组' }).click();
	await expect(page.getByTestId('group').filter({ hasText: name })).toContainText(leader);
}

test('a captain plans an outreach day from the template; the team sees it once published', async ({
	browser
}) => {
	const captain = await signedInPage(browser, '林晓');
	await createTeam(captain, '信息学院志愿服务队');
	const teamUrl = captain.url();

	const leader = await joinAs(browser, await inviteLink(captain, 'leader'), '王磊');
	const volunteer = await joinAs(browser, await inviteLink(captain, 'volunteer'), '张伟');
	await expect(volunteer.getByText('暂无即将开展的活动。')).toBeVisible();

	// The captain creates the event with the template (on by default).
	await captain.reload();
	await expectAccessible(captain);
	await captain.getByRole('link', { name: '新建活动' }).click();
	await expect(captain.getByRole('checkbox', { name: /服务日模板/ })).toBeChecked();
	await expectAccessible(captain);
	await fillNewEvent(captain, {
		title: '走进社区，关爱留守儿童',
		date: '2030-07-12',
		fields: { 社区名称: '幸福社区', 志愿者集合地点: '学校东门', 最近的医院: '县人民医院' }
	});
	await expect(captain.getByRole('heading', { level: 1 })).toHaveText('走进社区，关爱留守儿童');
	await expect(captain.getByText('这是草稿，只有队长能看到。', { exact: false })).toBeVisible();
	await expectAccessible(captain);
	const eventUrl = captain.url();

	// The template's run of show and checklist are there.
	await goToEventPage(captain, '活动流程');
	await expect(captain.getByTestId('agenda-item')).toHaveCount(10);
	await expect(captain.getByTestId('agenda-item').first()).toContainText('08:30');
	await expectAccessible(captain);
	await goToEventPage(captain, '准备清单');
	await expect(captain.getByTestId('checklist-item')).toHaveCount(7);
	await expectAccessible(captain);

	// Two groups, each with a leader.
	await goToEventPage(captain, '小组');
	await addGroup(captain, '一组', '林晓');
	await addGroup(captain, '二组', '王磊');
	await expect(captain.getByTestId('group')).toHaveCount(2);
	await expect(captain.getByText('这个小组还没有小组长。')).toHaveCount(0);
	await expectAccessible(captain);

	// A volunteer does not see the draft; they keep the team page open.
	expect((await volunteer.goto(eventUrl))?.status()).toBe(404);
	await volunteer.goto(teamUrl);
	await expect(volunteer.getByTestId('event-link')).toHaveCount(0);
	await expect(volunteer.getByTestId('live-status').getByRole('status')).toHaveAttribute(
		'data-state',
		'live'
	);

	// Publish: the volunteer's open team page shows the event without reload.
	await goToEventPage(captain, '概览');
	await publishEvent(captain);
	await expect(volunteer.getByTestId('event-link').filter({ hasText: '走进社区' })).toBeVisible({
		timeout: 2_000
	});
	await expect(captain.locator('.title-row')).toContainText('已发布');
	await goToEventPage(captain, '编辑');
	await expect(captain.getByLabel('活动名称')).toHaveValue('走进社区，关爱留守儿童');
	await expectAccessible(captain);

	// A personal calendar feed: a secret URL that a calendar app can read without a session.
	await captain.goto('/calendar');
	await captain.getByRole('button', { name: '生成订阅地址' }).click();
	const feedUrl = await captain.getByTestId('feed-url').inputValue();
	await expectAccessible(captain);
	const feed = await (await browser.newContext()).request.get(feedUrl);
	expect(await feed.text()).toContain('SUMMARY:走进社区，关爱留守儿童 · 信息学院志愿服务队');

	await volunteer.getByTestId('event-link').filter({ hasText: '走进社区' }).click();
	await expect(volunteer.getByRole('heading', { level: 1 })).toHaveText('走进社区，关爱留守儿童');
	await expect(volunteer.getByRole('button', { name: '发布给全队' })).toHaveCount(0);
	await expectAccessible(volunteer);

	// The leader sees the groups and may edit only their own.
	await leader.goto(`${eventUrl}/groups`);
	await expect(leader.getByTestId('group').filter({ hasText: '二组' })).toContainText('编辑 二组');
	await expect(leader.getByTestId('group').filter({ hasText: '一组' })).not.toContainText(
		'编辑 一组'
	);
	await expectAccessible(leader);

	// The day sheet renders, and prints without the site's header.
	await goToEventPage(volunteer, '当日资料单');
	await expect(volunteer.getByTestId('sheet-group')).toHaveCount(2);
	await expect(volunteer.getByText('县人民医院')).toBeVisible();
	await expect(volunteer.getByText('120')).toBeVisible();
	await expectAccessible(volunteer);
	await volunteer.emulateMedia({ media: 'print' });
	await expect(volunteer.locator('header.top')).toBeHidden();
	await expect(volunteer.getByRole('navigation', { name: '活动页面' })).toBeHidden();
	await expect(volunteer.getByRole('table').first()).toBeVisible();

	// The .ics download.
	const ics = await volunteer.request.get(`${eventUrl}/calendar.ics`);
	expect(ics.headers()['content-type']).toContain('text/calendar');
	expect(await ics.text()).toContain('DTSTART:20300712T003000Z');
});

test('the planning forms work without JavaScript and explain bad input', async ({ browser }) => {
	const context = await browser.newContext({ javaScriptEnabled: false });
	const page = await context.newPage();
	await page.goto('/sign-up');
	// Through the form without JavaScript (the other journeys sign up through the test hook).
	await fillSignUp(page, '陈静');
	await page.getByLabel('服务队名称').fill('外语学院志愿服务队');
	await page.getByRole('button', { name: '创建', exact: true }).click();
	await page.getByRole('link', { name: '新建活动' }).click();

	// End before start: the form comes back with what was typed and a message.
	await page.getByLabel('活动名称').fill('社区读书日');
	await page.getByLabel('日期', { exact: true }).fill('2030-05-04');
	await page.getByLabel('开始时间').fill('10:00');
	await page.getByLabel('结束时间').fill('09:00');
	await page.getByRole('checkbox', { name: /服务日模板/ }).uncheck();
	await page.getByRole('button', { name: '创建活动' }).click();
	await expect(page.getByText('结束时间要晚于开始时间。')).toBeVisible();
	await expect(page.getByLabel('活动名称')).toHaveValue('社区读书日');
	await expect(page.getByRole('checkbox', { name: /服务日模板/ })).not.toBeChecked();
	await page.getByLabel('结束时间').fill('11:30');
	await page.getByRole('button', { name: '创建活动' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('社区读书日');

	await page.getByLabel('新通知').fill('请带水');
	await page.getByRole('button', { name: '发布通知' }).click();
	await expect(page.getByTestId('announcements')).toContainText('请带水');

	await goToEventPage(page, '小组');
	const form = page.getByRole('region', { name: '新建小组' });
	await form.getByLabel('小组名称').fill('一组');
	await form.getByLabel('最小年龄').fill('12');
	await form.getByLabel('最大年龄').fill('8');
	await form.getByRole('button', { name: '添加小组' }).click();
	await expect(page.getByText('最大年龄不能小于最小年龄。')).toBeVisible();
	await form.getByLabel('最大年龄').fill('14');
	await form.getByLabel('儿童人数').fill('9');
	await form.getByRole('button', { name: '添加小组' }).click();
	const group = page.getByTestId('group').filter({ hasText: '一组' });
	await expect(group).toContainText('这个小组还没有小组长。');
	await expect(group).toContainText('志愿者太少');

	await goToEventPage(page, '活动流程');
	await page.getByLabel('开始时间').fill('10:00');
	await page.getByLabel('时长（分钟）').fill('45');
	await page.getByLabel('内容', { exact: true }).fill('读书分享');
	await page.getByRole('checkbox', { name: '一组' }).check();
	await page.getByRole('button', { name: '添加', exact: true }).click();
	await expect(page.getByTestId('agenda-item')).toContainText('读书分享');
	// (axe needs JavaScript in the page: these pages are checked in the journey above.)
	await context.close();
});
