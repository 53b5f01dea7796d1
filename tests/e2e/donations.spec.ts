import { expect, test } from '@playwright/test';
import { expectAccessible } from './axe';
import { hydrated } from './hydrated';
import { newEvent, teamWithMembers } from './seed';
import { goToEventPage } from './nav';
import { parseCsv } from '../support/csv';

test('a pledge is received and handed out to a group; totals live; money and the summary', async ({
	browser
}) => {
	const {
		captain,
		members: [leader, volunteer]
	} = await teamWithMembers(browser, '数学学院志愿服务队', [
		['leader', '王磊'],
		['volunteer', '张伟']
	]);

	await captain.reload();
	const eventUrl = await newEvent(captain, {
		title: '图书捐赠日',
		date: '2030-07-12',
		template: false
	});
	await captain.getByRole('button', { name: '发布给全队' }).click();
	await expect(captain.locator('.title-row')).toContainText('已发布');

	await goToEventPage(captain, '小组');
	const groupForm = captain.getByRole('region', { name: '新建小组' });
	await groupForm.getByLabel('小组名称').fill('一组');
	await groupForm.getByLabel('小组长').selectOption({ label: '王磊' });
	await groupForm.getByRole('button', { name: '添加小组' }).click();
	await expect(captain.getByTestId('group')).toContainText('王磊');

	// The captain keeps the donations page open: the second context that sees totals move.
	await goToEventPage(captain, '捐赠');
	await expect(captain.getByRole('heading', { name: '捐赠', level: 2 })).toBeVisible();
	await expect(captain.getByTestId('live-status').getByRole('status')).toHaveAttribute(
		'data-state',
		'live'
	);
	await expectAccessible(captain);
	const totals = captain.getByTestId('donation-totals-summary');
	await expect(totals).toHaveText('合计：认捐 0，已收到 0，已发放 0。');

	// A volunteer pledges "10 exercise books".
	await volunteer.goto(`${eventUrl}/donations`);
	await hydrated(volunteer);
	await expect(volunteer.getByRole('region', { name: '登记捐赠' })).toHaveCount(0);
	const pledge = volunteer.getByRole('region', { name: '我来捐' });
	await pledge.getByLabel('类别').selectOption({ label: '练习本' });
	await pledge.getByLabel('物品').fill('田字格练习本');
	await pledge.getByLabel('数量').fill('10');
	await pledge.getByLabel('单位').fill('本');
	await pledge.getByLabel('捐赠人', { exact: true }).fill('张伟');
	await pledge.getByRole('button', { name: '认捐' }).click();
	await expect(pledge.getByText('已保存。')).toBeVisible();
	await expect(volunteer.getByTestId('donation')).toContainText('田字格练习本');
	await expect(volunteer.getByTestId('donation').getByTestId('received')).toHaveText('0 本');
	await expectAccessible(volunteer);
	await expect(totals).toHaveText('合计：认捐 10，已收到 0，已发放 0。', { timeout: 3_000 });

	// The group's leader marks it received, then hands 4 out to their group.
	await leader.goto(`${eventUrl}/donations`);
	await hydrated(leader);
	const card = leader.getByTestId('donation').filter({ hasText: '田字格练习本' });
	await card.getByLabel('收到的数量：田字格练习本').fill('10');
	await card.getByRole('button', { name: '登记收到' }).click();
	await expect(card.getByTestId('received')).toHaveText('10 本');
	await expect(totals).toHaveText('合计：认捐 10，已收到 10，已发放 0。', { timeout: 3_000 });
	await card.getByLabel('发给：田字格练习本').selectOption({ label: '一组' });
	await card.getByLabel('发放数量：田字格练习本').fill('4');
	await card.getByRole('button', { name: '登记发放' }).click();
	await expect(card.getByTestId('distributed')).toHaveText('4 本');
	await expect(card).toContainText('一组：分配 0，已发放 4');
	await expectAccessible(leader);
	await expect(totals).toHaveText('合计：认捐 10，已收到 10，已发放 4。', { timeout: 3_000 });
	await expect(captain.getByTestId('donation-totals')).toContainText('练习本');

	// Handing out more than is left is refused with a message on the card itself (not at the
	// top of a long page), and nothing changes.
	await card.getByLabel('发放数量：田字格练习本').fill('7');
	await card.getByRole('button', { name: '登记发放' }).click();
	await expect(card.getByTestId('donation-answer')).toHaveText('发放数量不能超过已收到的数量。');
	await expect(leader.getByText('发放数量不能超过已收到的数量。')).toHaveCount(1);
	await expect(card.getByTestId('distributed')).toHaveText('4 本');

	// The CSV export opens in a spreadsheet: BOM, Chinese text, parsed back.
	const csv = await captain.request.get(`${eventUrl}/donations/donations.csv`);
	expect(csv.headers()['content-type']).toContain('text/csv');
	const bytes = await csv.body();
	expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
	const rows = parseCsv(bytes.subarray(3).toString('utf8'));
	expect(rows[1].slice(0, 8)).toEqual([
		'练习本',
		'田字格练习本',
		'本',
		'张伟',
		'同学',
		'10',
		'10',
		'4'
	]);

	// Funding: the captain keeps the ledger.
	await goToEventPage(captain, '经费');
	await hydrated(captain);
	const entry = captain.getByRole('region', { name: '记一笔' });
	await entry.getByLabel('类别').selectOption({ label: '学院资助' });
	await entry.getByLabel('金额（元）').fill('1,500');
	await entry.getByRole('button', { name: '记录' }).click();
	await expect(captain.getByTestId('ledger-entry')).toHaveCount(1);
	await entry.getByLabel('类别').selectOption({ label: '印刷' });
	await entry.getByLabel('金额（元）').fill('35.5');
	await entry.getByLabel('票据编号').fill('FP-0012');
	await entry.getByRole('button', { name: '记录' }).click();
	await expect(captain.getByTestId('ledger-entry')).toHaveCount(2);
	await expect(captain.getByTestId('funding-balance')).toHaveText('¥1,464.50');
	await entry.getByLabel('金额（元）').fill('12.345');
	await entry.getByRole('button', { name: '记录' }).click();
	await expect(captain.getByText('请输入正确的金额，如 120 或 35.50。').first()).toBeVisible();
	await captain.getByLabel('礼品预算（元）').fill('300');
	await captain.getByRole('button', { name: '保存礼品预算' }).click();
	await expect(captain.getByLabel('礼品预算（元）')).toHaveValue('300.00');
	await captain.getByLabel('赞助方名称').fill('阳光文具公司');
	await captain.getByLabel('致谢语').fill('感谢捐赠 200 支铅笔');
	await captain.getByRole('button', { name: '添加', exact: true }).click();
	await expect(captain.getByTestId('sponsor')).toContainText('阳光文具公司');
	await expectAccessible(captain);

	// Members see the totals, not the entries.
	await volunteer.goto(`${eventUrl}/funding`);
	await expect(volunteer.getByTestId('funding-balance')).toHaveText('¥1,464.50');
	await expect(volunteer.getByTestId('ledger-entry')).toHaveCount(0);
	await expect(volunteer.getByText('收支明细只有队长能看到；这里是合计。')).toBeVisible();
	await expectAccessible(volunteer);
	expect((await volunteer.request.get(`${eventUrl}/funding/ledger.csv`)).status()).toBe(403);

	// The summary, for print.
	await goToEventPage(captain, '活动总结');
	await expect(captain.getByTestId('summary-donations')).toContainText('练习本');
	await expect(captain.getByTestId('summary-funding')).toContainText('¥1,464.50');
	await expect(captain.getByTestId('summary-sponsors')).toContainText('感谢捐赠 200 支铅笔');
	await expect(captain.getByTestId('summary-incidents')).toContainText('紧急');
	await expectAccessible(captain);
	await captain.emulateMedia({ media: 'print' });
	await expect(captain.locator('header.top')).toBeHidden();
	await expect(captain.getByRole('navigation', { name: '活动页面' })).toBeHidden();
	await expect(captain.getByRole('button', { name: '打印' })).toBeHidden();
	await expect(captain.getByTestId('summary-donations')).toBeVisible();
	expect((await volunteer.goto(`${eventUrl}/summary`))?.status()).toBe(403);
});
