import { expect, test, type Page } from '@playwright/test';
import { expectAccessible } from './axe';
import { hydrated } from './hydrated';
import { createTeam, inviteLink, joinAs, newEvent, publishEvent, signedInPage } from './seed';

// The day itself on small phones: check-in with the rotating code, the live board, and an
// urgent incident reaching the captain's open page.
test.use({ viewport: { width: 360, height: 640 } });

async function liveOn(page: Page) {
	await expect(page.getByTestId('live-status').getByRole('status')).toHaveAttribute(
		'data-state',
		'live'
	);
}

test('a volunteer checks in with the leader’s code; an urgent incident alerts the captain live', async ({
	browser
}) => {
	const phone = { context: { viewport: { width: 360, height: 640 } } };
	const captain = await signedInPage(browser, '林晓', { ...phone, phone: '13800138000' });
	await createTeam(captain, '信息学院志愿服务队');
	const leader = await joinAs(browser, await inviteLink(captain, 'leader'), '王磊', {
		...phone,
		phone: '13900139000'
	});
	const volunteer = await joinAs(browser, await inviteLink(captain, 'volunteer'), '张伟', {
		...phone,
		phone: '13700137000'
	});

	await captain.reload();
	const eventUrl = await newEvent(captain, {
		title: '走进社区，关爱留守儿童',
		date: '2030-07-12'
	});
	await publishEvent(captain);

	// One group led by 王磊, with 张伟 in it.
	await captain.goto(`${eventUrl}/groups`);
	await hydrated(captain);
	const form = captain.getByRole('region', { name: '新建小组' });
	await form.getByLabel('小组名称').fill('一组');
	await form.getByLabel('小组长').selectOption({ label: '王磊' });
	await form.getByRole('button', { name: '添加小组' }).click();
	const addMember = captain.getByRole('combobox', { name: '添加组员 一组' });
	// The group's leader is not offered as a member of it.
	await expect(addMember.locator('option', { hasText: '王磊' })).toHaveCount(0);
	await addMember.selectOption({ label: '张伟' });
	await captain.getByRole('button', { name: '加入小组' }).click();
	await expect(captain.getByTestId('group')).toContainText('张伟');

	// The leader shows the code on one page and keeps the board open on another.
	const board = await leader.context().newPage();
	await board.goto(`${eventUrl}/attendance`);
	await liveOn(board);
	await expect(board.getByTestId('attendance-totals')).toHaveText(
		'到场 0 / 应到 2 · 迟到 0 · 已离开 0'
	);
	await expectAccessible(board);
	await leader.goto(`${eventUrl}/checkin`);
	await expect(leader.getByTestId('checkin-code')).toHaveText(/^\d{6}$/);
	await expect(leader.getByRole('img', { name: '签到二维码' })).toBeVisible();
	await expectAccessible(leader);
	const code = (await leader.getByTestId('checkin-code').textContent()) ?? '';

	await volunteer.goto(`${eventUrl}/checkin`);
	await hydrated(volunteer);
	await expectAccessible(volunteer);
	// A wrong code is refused with a message; the right one checks in.
	const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
	await volunteer.getByLabel('签到码', { exact: true }).fill(wrong);
	await volunteer.getByRole('button', { name: '签到', exact: true }).click();
	await expect(volunteer.getByRole('alert').first()).toContainText('签到码不正确');
	await volunteer.getByLabel('签到码', { exact: true }).fill(code);
	await volunteer.getByRole('button', { name: '签到', exact: true }).click();
	await expect(volunteer.getByText('签到成功。')).toBeVisible();
	await expect(volunteer.getByText(/已于 \d\d:\d\d 签到/)).toBeVisible();
	await expect(board.getByTestId('attendance-totals')).toHaveText(
		'到场 1 / 应到 2 · 迟到 0 · 已离开 0',
		{
			timeout: 3_000
		}
	);

	// The captain keeps the board open; the volunteer reports an urgent incident.
	await captain.goto(`${eventUrl}/attendance`);
	await liveOn(captain);
	await expect(captain.getByRole('alert')).toHaveCount(0);
	await volunteer.goto(`${eventUrl}/incidents`);
	await hydrated(volunteer);
	await expect(volunteer.getByText('请不要写孩子的姓名', { exact: false })).toBeVisible();
	await expectAccessible(volunteer);
	// Sent empty: the server's messages in the page's language, not the browser's bubbles.
	await volunteer.getByRole('button', { name: '立即报告队长' }).click();
	await expect(volunteer.getByText('请选择类别。')).toBeVisible();
	await expect(volunteer.getByText('请描述发生了什么。')).toBeVisible();
	await volunteer.getByLabel('类别').selectOption({ label: '受伤或身体不适' });
	await volunteer.getByLabel('紧急', { exact: true }).check();
	// Each level of the segmented control is a whole tap target.
	const urgent = await volunteer.getByLabel('紧急', { exact: true }).boundingBox();
	expect(urgent?.height).toBeGreaterThanOrEqual(44);
	expect(urgent?.width).toBeGreaterThanOrEqual(44);
	await volunteer.getByLabel('情况描述').fill('一组一名孩子跑步摔倒，膝盖流血');
	await volunteer.getByLabel('地点（可选）').fill('活动室门口');
	await volunteer.getByLabel('小组（可选）').selectOption({ label: '一组' });
	const reported = volunteer.waitForResponse(
		(r) => r.url().includes('/incidents?/report') && r.request().method() === 'POST'
	);
	await volunteer.getByRole('button', { name: '立即报告队长' }).click();
	await reported;
	const alert = captain.getByRole('alert').filter({ hasText: '待受理' });
	// The hint makes the captain's page reload its staff data (a board and the alerts, not a
	// patched count), which under CI's three workers on two cores once took longer than 2 s.
	// Nothing else reloads this page within 5 s: the escalation timer is minutes away.
	await expect(alert).toBeVisible({ timeout: 5_000 });
	// What, where, who and when, with the reporter and the group's leader a tap away; never a
	// button for the captain to call themselves.
	await expect(alert).toContainText('紧急');
	await expect(alert).toContainText('受伤或身体不适');
	await expect(alert).toContainText('一组一名孩子跑步摔倒，膝盖流血');
	await expect(alert).toContainText('地点：活动室门口');
	await expect(alert).toContainText('小组：一组');
	await expect(alert).toContainText('报告人：张伟');
	await expect(alert).toContainText(/\d\d:\d\d 报告/);
	await expect(alert.getByRole('link', { name: '致电报告人 张伟' })).toHaveAttribute(
		'href',
		'tel:13700137000'
	);
	await expect(alert.getByRole('link', { name: '致电组长 王磊' })).toHaveAttribute(
		'href',
		'tel:13900139000'
	);
	await expect(alert.getByRole('link', { name: /林晓/ })).toHaveCount(0);
	const call = await alert.getByRole('link', { name: '致电报告人 张伟' }).boundingBox();
	expect(call?.height).toBeGreaterThanOrEqual(44);
	await expectAccessible(captain);
	await expect(volunteer.getByTestId('incident')).toContainText('待处理');

	// Without a connection the acknowledge is not sent, and the alert says so beside its
	// button (it posts to the incidents page's action, which is not this page).
	await captain.context().setOffline(true);
	await alert.getByRole('button', { name: '受理' }).click();
	await expect(alert.getByTestId('acknowledge-refused')).toContainText('没有网络：尚未发送');
	await expect(alert).toBeVisible();
	await captain.context().setOffline(false);
	await alert.getByRole('button', { name: '受理' }).click();
	await expect(captain.getByRole('alert').filter({ hasText: '待受理' })).toHaveCount(0);
	await expect(volunteer.getByTestId('incident')).toContainText('已受理');
	await expect(volunteer.getByTestId('incident')).toContainText('林晓');

	// The captain resolves it on the incidents page; hours and the CSV are there for staff.
	await captain.goto(`${eventUrl}/incidents`);
	await expectAccessible(captain);
	await captain.getByLabel('处理结果').fill('已消毒包扎，家长已知情');
	await captain.getByRole('button', { name: '标记为已解决' }).click();
	await expect(captain.getByTestId('incident')).toContainText('已解决');
	await expect(volunteer.getByTestId('incident')).toContainText('已解决');
	await captain.goto(`${eventUrl}/hours`);
	await expect(captain.getByRole('row', { name: /张伟/ })).toContainText('估算');
	await expectAccessible(captain);
	const csv = await captain.request.get(`${eventUrl}/hours/hours.csv`);
	expect(csv.headers()['content-type']).toContain('text/csv');
	const body = Buffer.from(await csv.body());
	expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
	expect(body.toString('utf8')).toContain('张伟,一组,');
});
