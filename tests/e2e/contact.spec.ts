import { expect, test } from '@playwright/test';
import { expectAccessible } from './axe';
import { hydrated } from './hydrated';
import { createTeam, newEvent, signedInPage } from './seed';
import { goToEventPage } from './nav';

test('the community contact confirms through the link; the captain sees it live and accepts a change', async ({
	browser
}) => {
	// The captain plans and publishes a service day.
	const captain = await signedInPage(browser, '林晓');
	await createTeam(captain, '信息学院志愿服务队');
	const eventUrl = await newEvent(captain, {
		title: '走进社区，关爱留守儿童',
		date: '2030-07-12',
		fields: { 社区名称: '幸福社区', 场地名称: '社区活动室' }
	});
	await captain.getByRole('button', { name: '发布给全队' }).click();
	await expect(captain.locator('.title-row')).toContainText('已发布');
	await expect(captain.getByTestId('contact-summary')).toHaveText('尚未联系社区');

	// The community contact is recorded and a private link created.
	await goToEventPage(captain, '社区对接');
	await hydrated(captain);
	await captain.getByLabel('姓名', { exact: true }).fill('陈主任');
	await captain.getByLabel('单位（如居委会）').fill('幸福社区居委会');
	await captain.getByLabel('电话', { exact: true }).fill('13900001111');
	await captain.getByLabel('活动场地（房间）').check();
	await captain.getByLabel('电源').check();
	await captain.getByLabel('在链接页面上显示我的姓名和电话').check();
	await captain.getByRole('button', { name: '保存联系人' }).click();
	await expect(captain.getByText('社区联系人已保存。')).toBeVisible();
	await captain.getByRole('button', { name: '生成链接' }).click();
	const linkUrl = await captain.getByTestId('contact-url').inputValue();
	expect(linkUrl).toMatch(/\/c\/[a-z2-7]{32}$/);
	await expect(captain.getByTestId('contact-state')).toHaveText('等待社区确认');
	await expectAccessible(captain);

	// The captain keeps the event's overview open.
	await captain.goto(eventUrl);
	await expect(captain.getByTestId('live-status').getByRole('status')).toHaveAttribute(
		'data-state',
		'live'
	);
	await expect(captain.getByTestId('contact-summary')).toHaveText('等待社区确认');

	// The contact opens the link on a small phone, with no account, and confirms.
	const contactContext = await browser.newContext({ viewport: { width: 360, height: 640 } });
	const contact = await contactContext.newPage();
	const response = await contact.goto(linkUrl);
	expect(response?.headers()['cache-control']).toBe('no-store');
	expect(response?.headers()['referrer-policy']).toBe('same-origin');
	await expect(contact.getByText('信息学院志愿服务队 计划来社区开展志愿服务活动')).toBeVisible();
	await expect(contact.getByText('社区活动室', { exact: false }).first()).toBeVisible();
	await expect(contact.getByRole('link', { name: '拨打' })).toHaveCount(0);
	await expect(contact.getByText('林晓')).toBeVisible();
	await expect(contact.getByText('活动场地（房间）')).toBeVisible();
	// Server-rendered only: a poor connection gets the page in one response, no scripts.
	await expect(contact.locator('script, link[rel="modulepreload"]')).toHaveCount(0);
	await expectAccessible(contact);
	await contact.getByRole('button', { name: '确认日期和场地' }).click();
	await expect(contact.getByText('谢谢！您的确认已发送给服务队。')).toBeVisible();
	await expect(contact.getByText('您已确认。')).toBeVisible();
	// Post/redirect/get, back at the answer: a reload never sends the answer again, and the
	// thanks were said once.
	expect(new URL(contact.url()).hash).toBe('#answer');
	await contact.reload();
	await expect(contact.getByText('您已确认。')).toBeVisible();
	await expect(contact.getByText('谢谢！您的确认已发送给服务队。')).toHaveCount(0);

	// The captain's open page shows it without reload.
	await expect(captain.getByTestId('contact-summary')).toHaveText('社区已确认', { timeout: 3_000 });
	await expect(captain.getByText('社区联系人刚刚确认了日期和场地。')).toBeVisible();
	await expect(captain.locator('.title-row')).toContainText('社区已确认');

	// The contact proposes another day and venue.
	await contact.getByText('提出其他日期、时间或场地').click();
	await contact.getByLabel('建议日期').fill('2030-07-13');
	await contact.getByLabel('建议场地（选填）').fill('社区服务中心二楼');
	await contact.getByLabel('说明（选填）').fill('12日活动室有会议');
	await contact.getByRole('button', { name: '发送修改建议' }).click();
	await expect(contact.getByText('您的建议已发送给服务队。')).toBeVisible();
	await expectAccessible(contact);
	await expect(captain.getByTestId('contact-summary')).toHaveText('社区提出了修改', {
		timeout: 3_000
	});

	// The captain accepts it: the event moves, and is confirmed again.
	await goToEventPage(captain, '社区对接');
	await expect(captain.getByText('12日活动室有会议').first()).toBeVisible();
	await expectAccessible(captain);
	await captain.getByRole('button', { name: '接受修改并更新活动' }).click();
	await expect(captain.getByText('已接受修改，活动已更新。')).toBeVisible();
	await expect(captain.getByTestId('contact-state')).toHaveText('社区已确认');
	await expect(captain.getByTestId('contact-history')).toContainText('社区联系人');
	await goToEventPage(captain, '概览');
	await expect(captain).toHaveURL(eventUrl);
	await expect(captain.locator('dd', { hasText: '社区服务中心二楼' })).toBeVisible();
	await expect(captain.locator('dd', { hasText: '2030年7月13日' })).toBeVisible();
	await expect(captain.getByTestId('contact-summary')).toHaveText('社区已确认');

	// The contact sees the new arrangement.
	await contact.reload();
	await expect(contact.getByText('2030年7月13日', { exact: false }).first()).toBeVisible();
	await expect(contact.getByText('您已确认。')).toBeVisible();
	await expectAccessible(contact);

	// Without JavaScript (a bare in-app browser) the answer still goes through.
	const bare = await (
		await browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 640 } })
	).newPage();
	await bare.goto(linkUrl);
	await bare.getByText('提出其他日期、时间或场地').click();
	await bare.getByLabel('说明（选填）').fill('请带上延长线');
	await bare.getByRole('button', { name: '发送修改建议' }).click();
	await expect(bare.getByText('您的建议已发送给服务队。')).toBeVisible();
	await expect(bare.getByText('请带上延长线')).toBeVisible();

	// A revoked link gets a clear page, not an error screen.
	await goToEventPage(captain, '社区对接');
	captain.once('dialog', (dialog) => void dialog.accept());
	await captain.getByRole('button', { name: '停用链接' }).click();
	await expect(captain.getByText('链接已停用。')).toBeVisible();
	await contact.reload();
	await expect(contact.getByText('此链接已被服务队停用')).toBeVisible();
	await expectAccessible(contact);
});
