import { expect, test, type Page } from '@playwright/test';
import { expectAccessible } from './axe';
import { hydrated } from './hydrated';
import { newEvent, publishEvent, teamWithMembers, JULY_MORNING } from './seed';
import { goToEventPage } from './nav';

async function addTask(page: Page, title: string, capacity: string) {
	const form = page.getByRole('region', { name: '新建任务' });
	await form.getByLabel('任务名称').fill(title);
	await form.getByLabel('名额（1–500）').fill(capacity);
	await form.getByRole('button', { name: '添加任务' }).click();
	// The form is ready for the next task once its answer has reset it: the new card can show
	// earlier, through the live hint, and a reset after the next one is typed would clear it.
	await expect(form.getByLabel('任务名称')).toHaveValue('');
	await expect(
		page
			.getByTestId('task')
			.filter({ has: page.getByRole('heading', { name: title, exact: true }) })
	).toBeVisible();
}

// By its heading: another card may name this one (an overlap warning quotes its title).
const card = (page: Page, title: string) =>
	page
		.getByTestId('task')
		.filter({ has: page.getByRole('heading', { level: 3, name: title, exact: true }) });
const status = (page: Page) => page.getByTestId('live-status').getByRole('status');

/**
 * Every request a page makes for the board's whole data (its load), from now on. SvelteKit
 * flags which nodes to run, the page's last: `0010` reruns only the event's layout (after a
 * reconnect, for what the layout shows), not the board.
 */
function watchFullLoads(page: Page): string[] {
	const loads: string[] = [];
	page.on('request', (r) => {
		const url = new URL(r.url());
		if (!url.pathname.endsWith('/tasks/__data.json')) return;
		const nodes = url.searchParams.get('x-sveltekit-invalidated');
		if (nodes === null || nodes.endsWith('1')) loads.push(r.url());
	});
	return loads;
}

test('two volunteers race for the last slot; the other sees it full at once and is promoted later', async ({
	browser,
	request
}) => {
	const {
		captain,
		members: [anna, bo]
	} = await teamWithMembers(browser, '数学学院志愿服务队', [
		['volunteer', '安娜'],
		['volunteer', '薄波']
	]);

	await captain.reload();
	await newEvent(captain, { title: '夏日读书会', ...JULY_MORNING });
	await publishEvent(captain);
	const eventUrl = captain.url();

	await goToEventPage(captain, '任务', { exact: true });
	await expect(captain).toHaveURL(/\/tasks$/);
	await hydrated(captain);
	await addTask(captain, '搬运捐赠图书', '2');
	await addTask(captain, '布置场地', '3');
	await expectAccessible(captain);
	// The captain takes one of the two slots.
	await card(captain, '搬运捐赠图书').getByRole('button', { name: '认领：搬运捐赠图书' }).click();
	await expect(card(captain, '搬运捐赠图书')).toContainText('1/2 名额');

	for (const page of [anna, bo]) {
		await page.goto(`${eventUrl}/tasks`);
		await expect(page.getByTestId('live-status').getByRole('status')).toHaveAttribute(
			'data-state',
			'live'
		);
	}
	await expectAccessible(bo);

	// Anna takes the last slot; Bo's open board shows it full within a second, without reload:
	// the hint's counts are applied as they come, no request for the board's data.
	let boLoads = watchFullLoads(bo);
	const annaLoads = watchFullLoads(anna);
	const claimed = anna.waitForResponse((r) => r.url().includes('?/claim'));
	await card(anna, '搬运捐赠图书').getByRole('button', { name: '认领：搬运捐赠图书' }).click();
	await claimed;
	await expect(card(bo, '搬运捐赠图书')).toContainText('已满', { timeout: 1_000 });
	await expect(card(bo, '搬运捐赠图书')).toContainText('2/2 名额');
	await expect(bo.getByTestId('totals')).toContainText('已认领 2/5 个名额');
	await expect(card(anna, '搬运捐赠图书')).toContainText('你已认领');
	// The answer is on the card that was claimed, and the card at the same time says it would
	// overlap, at once (both tasks run the whole event).
	await expect(card(anna, '搬运捐赠图书').getByTestId('task-answer')).toContainText('认领成功。');
	await expect(card(anna, '布置场地').getByTestId('task-answer')).toContainText(
		'认领后将与「搬运捐赠图书」时间重叠'
	);

	// Bo joins the waitlist.
	await card(bo, '搬运捐赠图书').getByRole('button', { name: '加入候补：搬运捐赠图书' }).click();
	await expect(card(bo, '搬运捐赠图书').getByTestId('task-answer')).toHaveText(
		'名额已满，你在候补第 1 位。'
	);
	await expect(card(bo, '搬运捐赠图书')).toContainText('你在候补第 1 位');
	await expect(card(anna, '搬运捐赠图书')).toContainText('候补 1 人');

	// Anna withdraws: Bo is promoted and told, live.
	const withdrawn = anna.waitForResponse((r) => r.url().includes('?/withdraw'));
	await card(anna, '搬运捐赠图书').getByRole('button', { name: '退出：搬运捐赠图书' }).click();
	await withdrawn;
	await expect(card(bo, '搬运捐赠图书')).toContainText('你已认领', { timeout: 1_000 });
	await expect(bo.getByTestId('notices')).toContainText('轮到你了');
	await expect(card(anna, '搬运捐赠图书')).toContainText('薄波');
	// Neither board reloaded: Anna's own forms applied their answers, Bo's board its hints
	// (and fetched only the card whose placement someone else changed).
	expect(boLoads).toEqual([]);
	expect(annaLoads).toEqual([]);
	await expectAccessible(bo);
	await bo.getByRole('button', { name: '知道了' }).click();
	await expect(bo.getByTestId('notices')).toHaveCount(0);

	// Bo's other tab shows the event's overview, which has no sign-up counts: a new task
	// reloads its data (its performances may change), a claim's hint does not.
	const overview = await bo.context().newPage();
	await overview.goto(eventUrl);
	await expect(status(overview)).toHaveAttribute('data-state', 'live');
	const overviewLoads: string[] = [];
	overview.on('request', (r) => {
		if (new URL(r.url()).pathname === `${new URL(eventUrl).pathname}/__data.json`) {
			overviewLoads.push(r.url());
		}
	});

	// New tasks appear on the open boards by themselves (only their cards are fetched).
	await bo.waitForLoadState('networkidle');
	boLoads = watchFullLoads(bo);
	await addTask(captain, '分发饮用水', '4');
	await addTask(captain, '引导读者', '4');
	await expect(card(bo, '分发饮用水')).toContainText('0/4 名额');
	await expect(card(bo, '引导读者')).toContainText('0/4 名额');
	await expect.poll(() => overviewLoads.length).toBeGreaterThan(0);
	await overview.waitForLoadState('networkidle');
	overviewLoads.length = 0;

	// A hint is lost on its way (the hub drops the next one of the event): Anna's claim does
	// not reach Bo…
	const topic = `event:${eventUrl.match(/events\/([0-9a-f-]{36})/)![1]}`;
	expect((await request.post(`/api/test/realtime-skip-hint?topic=${topic}`)).ok()).toBe(true);
	await card(anna, '分发饮用水').getByRole('button', { name: '认领：分发饮用水' }).click();
	await expect(card(anna, '分发饮用水')).toContainText('1/4 名额');
	await expect(card(bo, '分发饮用水')).toContainText('0/4 名额');
	// …the captain's claim of another task comes with the version after it: Bo's board sees the
	// gap and resyncs once (every card, not the page).
	const resync = bo.waitForRequest((r) => {
		const url = new URL(r.url());
		return url.pathname.endsWith('/tasks/cards') && !url.searchParams.has('ids');
	});
	await card(captain, '引导读者').getByRole('button', { name: '认领：引导读者' }).click();
	await expect(card(bo, '引导读者')).toContainText('1/4 名额', { timeout: 1_000 });
	await resync;
	await expect(card(bo, '分发饮用水')).toContainText('1/4 名额');
	// The claims' hints reached the overview's tab too (the hub dropped one): it did not reload.
	expect(overviewLoads).toEqual([]);
	await overview.close();

	// The sockets drop; a change made meanwhile is on Bo's board once it is back, and the
	// board then matches the database (a fresh load of the page).
	expect((await request.post('/api/test/realtime-drop?refuseForMs=2000')).ok()).toBe(true);
	await expect(status(bo)).toHaveAttribute('data-state', 'reconnecting');
	await card(anna, '分发饮用水').getByRole('button', { name: '退出：分发饮用水' }).click();
	await expect(card(anna, '分发饮用水')).toContainText('0/4 名额');
	await expect(status(bo)).toHaveAttribute('data-state', 'live', { timeout: 15_000 });
	await expect(card(bo, '分发饮用水')).toContainText('0/4 名额');
	const fresh = await (
		await browser.newContext({ storageState: await bo.context().storageState() })
	).newPage();
	await fresh.goto(`${eventUrl}/tasks`);
	for (const title of ['搬运捐赠图书', '布置场地', '分发饮用水', '引导读者']) {
		await expect(card(bo, title).getByTestId('slots')).toHaveText(
			await card(fresh, title).getByTestId('slots').innerText()
		);
	}
	await expect(bo.getByTestId('totals')).toHaveText(await fresh.getByTestId('totals').innerText());
	await fresh.context().close();
	expect(boLoads).toEqual([]);

	// The task's own page shows who holds the slots.
	await card(bo, '搬运捐赠图书').getByRole('link', { name: '搬运捐赠图书：详情' }).click();
	await expect(bo.getByRole('heading', { level: 2, name: '搬运捐赠图书' })).toBeVisible();
	await expect(bo.getByText('已认领（2）')).toBeVisible();
	await expectAccessible(bo);

	// My day lists it.
	await bo.goto(`${eventUrl}/me`);
	await expect(bo.getByRole('heading', { name: '我的任务' })).toBeVisible();
	// Each task links to its page; the next one is highlighted at the top.
	await expect(
		bo.getByRole('region', { name: '我的任务' }).getByRole('link', { name: /搬运捐赠图书/ })
	).toHaveAttribute('href', /\/tasks\/[0-9a-f-]{36}$/);
	await expect(bo.getByRole('region', { name: '现在 / 接下来' })).toContainText('搬运捐赠图书');
	await expectAccessible(bo);

	// With JavaScript off, Anna claims with the plain form and reads My day.
	const noJs = await browser.newContext({
		javaScriptEnabled: false,
		storageState: await anna.context().storageState()
	});
	const plain = await noJs.newPage();
	await plain.goto(`${eventUrl}/tasks`);
	const form = card(plain, '布置场地').locator('form[action^="?/claim"]');
	const sent = {
		taskId: await form.locator('input[name="taskId"]').inputValue(),
		key: await form.locator('input[name="key"]').inputValue()
	};
	await card(plain, '布置场地').getByRole('button', { name: '认领：布置场地' }).click();
	// The answer renders on the card, and the page lands on it.
	await expect(card(plain, '布置场地').getByTestId('task-answer')).toContainText('认领成功。');
	expect(new URL(plain.url()).hash).toBe(`#task-${sent.taskId}`);
	await expect(card(plain, '布置场地')).toContainText('1/3 名额');
	await expect(card(plain, '布置场地')).toContainText('你已认领');
	// Sending the same form again (same key) changes nothing.
	const again = await plain.request.post(`${eventUrl}/tasks?/claim`, {
		form: sent,
		headers: { origin: new URL(eventUrl).origin }
	});
	expect(again.status()).toBe(200);
	await plain.reload();
	await expect(card(plain, '布置场地')).toContainText('1/3 名额');
	await plain.goto(`${eventUrl}/me`);
	await expect(plain.getByRole('region', { name: '我的任务' })).toContainText('布置场地');
	// My day reads as a plain page too (this context runs no JavaScript; with it, it is live).
	await expect(plain.getByRole('heading', { level: 2 }).first()).toContainText('我的一天');
});

test('a captain typing the next task while the last one is saved keeps their place', async ({
	browser
}) => {
	const { captain } = await teamWithMembers(browser, '外语学院志愿服务队', []);
	await captain.reload();
	await newEvent(captain, { title: '英语角', ...JULY_MORNING });
	await publishEvent(captain);
	await captain.goto(`${captain.url()}/tasks`);
	await hydrated(captain);

	// The page's reload after the first task is held back, as on a slow connection…
	let release = () => {};
	const held = new Promise<void>((resolve) => (release = resolve));
	await captain.route('**/tasks/__data.json*', async (route) => {
		await held;
		await route.continue();
	});
	const form = captain.getByRole('region', { name: '新建任务' });
	await form.getByLabel('任务名称').fill('签到引导');
	await form.getByLabel('名额（1–500）').fill('4');
	await form.getByRole('button', { name: '添加任务' }).click();
	await expect(form.getByLabel('任务名称')).toHaveValue('');
	// …while the captain types the next one.
	await form.getByLabel('任务名称').fill('分发水果');
	const capacity = form.getByLabel('名额（1–500）');
	await capacity.fill('1');
	release();
	// The answer lands: the form says so, and focus is still in the field being typed in
	// (SvelteKit's own applyAction moves it to the page, and the next keys went nowhere).
	await expect(form.getByText('任务已添加。')).toBeVisible();
	await expect(capacity).toBeFocused();
	await captain.keyboard.type('2');
	await expect(capacity).toHaveValue('12');
	await form.getByRole('button', { name: '添加任务' }).click();
	await expect(card(captain, '分发水果')).toContainText('0/12 名额');
	await expect(card(captain, '签到引导')).toContainText('0/4 名额');
	await captain.context().close();
});

test('without a connection the card says a claim or a withdrawal needs one, and one the network lost is told on its card', async ({
	browser
}) => {
	const {
		captain,
		members: [member]
	} = await teamWithMembers(browser, '化学学院志愿服务队', [['volunteer', '韩梅']]);
	await captain.reload();
	await newEvent(captain, { title: '科学小实验', ...JULY_MORNING });
	await publishEvent(captain);
	const eventUrl = captain.url();
	await captain.goto(`${eventUrl}/tasks`);
	await hydrated(captain);
	await addTask(captain, '准备实验材料', '3');
	await addTask(captain, '维持秩序', '3');
	await captain.context().close();

	// No service worker here: the page's own answer to a form post that finds no network.
	const context = await browser.newContext({
		serviceWorkers: 'block',
		storageState: await member.context().storageState()
	});
	await member.context().close();
	const v = await context.newPage();
	await v.goto(`${eventUrl}/tasks`);
	await hydrated(v);
	await card(v, '准备实验材料').getByRole('button', { name: '认领：准备实验材料' }).click();
	await expect(card(v, '准备实验材料')).toContainText('你已认领');

	// Offline: neither button can be pressed, and each card says why, beside its button.
	await context.setOffline(true);
	const withdraw = card(v, '准备实验材料').getByRole('button', { name: '退出：准备实验材料' });
	await expect(withdraw).toBeDisabled();
	await expect(withdraw).toHaveAccessibleDescription('退出需要网络：让出的名额会立即给候补的人。');
	const claim = card(v, '维持秩序').getByRole('button', { name: '认领：维持秩序' });
	await expect(claim).toBeDisabled();
	await expect(claim).toHaveAccessibleDescription('认领需要网络：名额实时分配。');
	await context.setOffline(false);
	await expect(withdraw).toBeEnabled();

	// The phone thinks it is online, but the post never arrives: the card says so, no error
	// page, nothing changed, and the button is there to press again.
	await context.route('**/tasks?/withdraw', (route) => route.abort('internetdisconnected'));
	await withdraw.click();
	await expect(card(v, '准备实验材料').getByTestId('task-answer')).toHaveText(
		'没有网络：尚未发送。恢复网络后请再按一次。'
	);
	await expect(card(v, '准备实验材料')).toContainText('你已认领');
	await expect(card(v, '准备实验材料')).toContainText('1/3 名额');
	await context.unroute('**/tasks?/withdraw');
	await withdraw.click();
	await expect(card(v, '准备实验材料').getByTestId('task-answer')).toHaveText('已退出。');
	await expect(card(v, '准备实验材料')).toContainText('0/3 名额');
	await context.close();
});
