// The captain's attendance board on the day, live (issue 18): a volunteer checks in on their own
// phone and the captain's open board shows the new numbers and the volunteer's row without
// reloading the page (no document request, no __data.json: the hint's counts at once, then only
// that person's row); the wall monitor the same; a lost hint is noticed and one resync (the board
// alone) puts it right; the captain's own hand mark reads the board narrowly, not the page.
import { expect, test, type Browser, type Page, type Request } from '@playwright/test';
import { parse } from 'devalue';
import { expectAccessible } from './axe';
import { hydrated } from './hydrated';
import { signUpAs } from './seed';

const PHONE = { width: 360, height: 640 };
const SERVICE_DAY = {
	title: '关爱留守儿童',
	date: '2030-07-12',
	startTime: '08:30',
	endTime: '12:30'
};

async function person(browser: Browser, name: string) {
	const page = await (await browser.newContext({ viewport: PHONE })).newPage();
	const { id } = await signUpAs(page, name);
	return { page, id };
}

/** A form action as `use:enhance` posts it, with the page's own cookies. */
async function act(page: Page, path: string, form: Record<string, string>) {
	const origin = new URL(test.info().project.use.baseURL!).origin;
	const res = await page.request.post(path, {
		form,
		headers: { origin, accept: 'application/json', 'x-sveltekit-action': 'true' }
	});
	const body = (await res.json()) as { type: string; location?: string; data?: string };
	expect(['success', 'redirect'], JSON.stringify(body)).toContain(body.type);
	return { ...body, data: body.data ? (parse(body.data) as Record<string, unknown>) : undefined };
}

/** Every request of the page that reloads it or its data, and every narrow read, from now on. */
function watch(page: Page) {
	const full: string[] = [];
	const narrow: URL[] = [];
	page.on('request', (r: Request) => {
		const url = new URL(r.url());
		if (r.resourceType() === 'document' || url.pathname.endsWith('/__data.json'))
			full.push(r.url());
		if (url.pathname.endsWith('/attendance/people')) narrow.push(url);
	});
	return { full, narrow };
}

const totals = (page: Page) => page.getByTestId('attendance-totals');
const live = (page: Page) =>
	expect(page.getByTestId('live-status').getByRole('status')).toHaveAttribute('data-state', 'live');

test('the captain’s board follows check-ins live: the numbers at once, only the person’s row fetched', async ({
	browser,
	request
}) => {
	const captain = await person(browser, '林晓');
	const [zhang, wang, li] = [
		await person(browser, '张伟'),
		await person(browser, '王芳'),
		await person(browser, '李娜')
	];
	const team = await act(captain.page, '/teams?/create', { name: '信息学院志愿服务队' });
	const teamPath = /\/teams\/[0-9a-f-]{36}/.exec(team.location ?? '')![0];
	const invite = await act(captain.page, `${teamPath}?/createInvite`, {
		role: 'volunteer',
		maxUses: '5'
	});
	const token = (invite.data?.invite as { url: string }).url.split('/invite/')[1];
	for (const p of [zhang, wang, li]) await act(p.page, `/invite/${token}?/join`, {});
	const created = await act(captain.page, `${teamPath}/events/new?/create`, SERVICE_DAY);
	const eventPath = /\/teams\/[0-9a-f-]{36}\/events\/[0-9a-f-]{36}/.exec(
		created.location ?? ''
	)![0];
	const eventId = eventPath.split('/').pop()!;
	await act(captain.page, `${eventPath}?/status`, { status: 'planned' });
	await act(captain.page, `${eventPath}/groups?/create`, {
		name: '一组',
		colour: '#1d4ed8',
		childrenCount: '6'
	});
	const { groups } = (await (
		await captain.page.request.get(`${eventPath}/attendance/people?session=day`)
	).json()) as { groups: { id: string }[] };
	for (const p of [zhang, wang]) {
		await act(captain.page, `${eventPath}/groups?/addMember`, {
			groupId: groups[0].id,
			userId: p.id
		});
	}

	// The captain opens the board, and the wall monitor on a second screen.
	const board = captain.page;
	await board.goto(`${eventPath}/attendance`);
	await hydrated(board);
	await live(board);
	await expect(totals(board)).toHaveText('到场 0 / 应到 2 · 迟到 0 · 已离开 0');
	const group = board.getByRole('region', { name: /一组/ });
	await expect(group).toContainText('0/2');
	const wall = await board.context().newPage();
	await wall.setViewportSize({ width: 1280, height: 800 });
	await wall.goto(`${eventPath}/attendance?screen=1`);
	await hydrated(wall);
	await expect(wall.getByTestId('attendance-totals')).toContainText('到场 0 / 应到 2');
	const code = (await wall.getByTestId('checkin-code').textContent())!.match(/\d{6}/)![0];
	await board.waitForLoadState('networkidle');
	const seen = watch(board);

	// 张伟 checks in with the code on their own phone.
	await zhang.page.goto(`${eventPath}/checkin`);
	await hydrated(zhang.page);
	await zhang.page.getByLabel('签到码', { exact: true }).fill(code);
	const answered = zhang.page.waitForResponse((r) => r.request().method() === 'POST');
	await zhang.page.getByRole('button', { name: '签到', exact: true }).click();
	await answered;
	const start = Date.now();
	await expect(totals(board)).toHaveText('到场 1 / 应到 2 · 迟到 0 · 已离开 0', { timeout: 2_000 });
	const shownAfterMs = Date.now() - start;
	await expect(group).toContainText('1/2');
	await expect(wall.getByTestId('attendance-totals')).toContainText('到场 1 / 应到 2');
	// The person's row, with the time they arrived; the missing line names only 王芳 now.
	await expect(group.getByRole('listitem').filter({ hasText: '张伟' })).toContainText(
		/\d\d:\d\d 到/
	);
	await expect(group).toContainText('未到：王芳');
	expect(seen.full).toEqual([]);
	expect(seen.narrow.map((u) => u.searchParams.get('ids'))).toEqual([zhang.id]);
	test.info().annotations.push({
		type: 'measured',
		description: `check-in shown on the captain's board ${shownAfterMs} ms after the answer; requests for it: ${seen.narrow.length} narrow, ${seen.full.length} full`
	});
	await expectAccessible(board);

	// 李娜 is in no group: counted apart, and listed in a section of their own.
	const code2 = (await wall.getByTestId('checkin-code').textContent())!.match(/\d{6}/)![0];
	await act(li.page, `${eventPath}/checkin?/checkIn`, { code: code2, session: 'day' });
	await expect(totals(board)).toContainText('另有 1 人在场但未分组');
	await expect(board.getByRole('region', { name: '未分组', exact: true })).toContainText('李娜');

	// A hint is lost on its way: 王芳's check-in does not reach the board…
	const skip = await request.post(`/api/test/realtime-skip-hint?topic=event:${eventId}`);
	expect(skip.ok()).toBe(true);
	await act(captain.page, `${eventPath}/attendance?/mark`, { userId: wang.id, session: 'day' });
	await expect(totals(board)).toHaveText(/^到场 1 \/ 应到 2/);
	// …张伟's check-out comes with the version after it: the board sees the gap and reads the
	// board once (not the page).
	const resync = board.waitForRequest((r) => {
		const url = new URL(r.url());
		return url.pathname.endsWith('/attendance/people') && !url.searchParams.has('ids');
	});
	await act(zhang.page, `${eventPath}/checkin?/checkOut`, { session: 'day' });
	await resync;
	await expect(totals(board)).toHaveText(/^到场 1 \/ 应到 2 · 迟到 0 · 已离开 1/);
	await expect(group.getByRole('listitem').filter({ hasText: '王芳' })).toContainText(/\d 到/);

	// The captain's own hand mark: the result comes from a narrow read, the page stays.
	await group.getByRole('button', { name: '为王芳签退' }).click();
	await expect(totals(board)).toHaveText(/^到场 0 \/ 应到 2 · 迟到 0 · 已离开 2/);
	await expect(group.getByRole('listitem').filter({ hasText: '王芳' })).toContainText(/已离开/);
	expect(seen.full).toEqual([]);

	// What the board shows is what a fresh load shows.
	const fresh = await board.context().newPage();
	await fresh.goto(`${eventPath}/attendance`);
	await expect(totals(board)).toHaveText((await totals(fresh).innerText()).trim());
	await fresh.close();
	await wall.close();

	// My day is live too: 张伟 keeps it open; the captain gives them a task. Only 张伟's own
	// tasks are read again (me/tasks), never the page.
	const day = zhang.page;
	await day.goto(`${eventPath}/me`);
	await hydrated(day);
	await live(day);
	await expect(day.getByRole('region', { name: '我的任务' })).not.toContainText('搬运捐赠图书');
	await day.waitForLoadState('networkidle');
	const mine = watch(day);
	const narrowMine: string[] = [];
	day.on('request', (r) => {
		if (new URL(r.url()).pathname.endsWith('/me/tasks')) narrowMine.push(r.url());
	});
	await act(captain.page, `${eventPath}/tasks?/create`, {
		kind: 'logistics',
		title: '搬运捐赠图书',
		date: SERVICE_DAY.date,
		startTime: '09:00',
		endTime: '10:00',
		capacity: '3'
	});
	const { cards } = (await (await captain.page.request.get(`${eventPath}/tasks/cards`)).json()) as {
		cards: { id: string }[];
	};
	await act(captain.page, `${eventPath}/tasks/${cards[0].id}?/assign`, { userId: zhang.id });
	await expect(day.getByRole('region', { name: '我的任务' })).toContainText('搬运捐赠图书');
	expect(mine.full).toEqual([]);
	// The new task named no one (nothing of mine); the assignment named 张伟: one read.
	expect(narrowMine).toHaveLength(1);
});
