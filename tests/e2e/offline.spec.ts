// The day on a poor connection, on a 360×640 phone: the app is installable, the day's pages
// open without a connection, and what a volunteer does offline (a check-in with the code shown
// a moment before, an incident report) waits in the phone's outbox, survives reloading and
// closing the tab, and reaches the server exactly once when the connection returns; a forged
// code is refused on arrival and the volunteer is told. The server is this spec's own (a fixed
// port, its own data folder), stopped and started again, as the network of a village yard is.
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { startApp, type RunningApp } from '../support/app-server';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'devalue';
import { PGlite } from '@electric-sql/pglite';
import { hydrated } from './hydrated';

const PORT = Number(process.env.OFFLINE_PORT ?? 4240);
const ORIGIN = `http://localhost:${PORT}`;
const PHONE = { width: 360, height: 640 };

test.setTimeout(300_000);
test.use({ viewport: PHONE });

const startServer = (dataDir: string) =>
	startApp({ port: PORT, dataDir, env: { TONGXING_TEST_HOOKS: '1' }, echo: 'errors' });

const stopServer = (app: RunningApp) => app.stop();

/** A phone of someone signed up through the test hook; `options` as `browser.newContext`. */
async function phone(
	browser: Browser,
	name: string,
	origin = ORIGIN,
	options: Parameters<Browser['newContext']>[0] = {}
): Promise<{ context: BrowserContext; page: Page }> {
	const context = await browser.newContext({ viewport: PHONE, baseURL: origin, ...options });
	const page = await context.newPage();
	const res = await page.request.post('/api/test/sign-up', {
		form: {
			email: `${crypto.randomUUID().slice(0, 8)}@example.test`,
			displayName: name,
			password: 'offline-day-2026'
		},
		headers: { origin }
	});
	expect(res.status(), await res.text()).toBe(200);
	return { context, page };
}

/** A form action as `use:enhance` posts it, with the page's own cookies. */
async function act(page: Page, path: string, form: Record<string, string>, origin = ORIGIN) {
	const res = await page.request.post(path, {
		form,
		headers: { origin, accept: 'application/json', 'x-sveltekit-action': 'true' }
	});
	const body = (await res.json()) as { type: string; location?: string; data?: string };
	return { ...body, data: body.data ? (parse(body.data) as Record<string, unknown>) : undefined };
}

/**
 * A team, a planned service day and a volunteer in it, made through the app's own actions.
 * The volunteer's phone is made with `options` (`browser.newContext`'s).
 */
async function setUpDay(
	browser: Browser,
	origin: string,
	options: Parameters<Browser['newContext']>[0] = {}
) {
	const captain = await phone(browser, '林晓', origin);
	const volunteer = await phone(browser, '张伟', origin, options);
	const team = await act(captain.page, '/teams?/create', { name: '离线测试服务队' }, origin);
	const teamId = /\/teams\/([0-9a-f-]{36})/.exec(team.location ?? '')?.[1];
	expect(teamId, JSON.stringify(team)).toBeTruthy();
	const invite = await act(
		captain.page,
		`/teams/${teamId}?/createInvite`,
		{ role: 'volunteer', maxUses: '5' },
		origin
	);
	const token = (invite.data?.invite as { url: string }).url.split('/invite/')[1];
	expect((await act(volunteer.page, `/invite/${token}?/join`, {}, origin)).type).toBe('redirect');
	const created = await act(
		captain.page,
		`/teams/${teamId}/events/new?/create`,
		{ title: '走进社区，关爱留守儿童', date: '2030-07-12', startTime: '08:30', endTime: '12:30' },
		origin
	);
	const eventPath = /\/teams\/[0-9a-f-]{36}\/events\/[0-9a-f-]{36}/.exec(
		created.location ?? ''
	)?.[0];
	expect(eventPath, JSON.stringify(created)).toBeTruthy();
	expect(
		(await act(captain.page, `${eventPath}?/status`, { status: 'planned' }, origin)).type
	).toBe('success');
	const eventId = eventPath!.split('/').pop()!;
	return { captain, volunteer, teamId: teamId!, token, eventPath: eventPath!, eventId };
}

test('offline: the day opens, a check-in and an incident wait on the phone and arrive once', async ({
	browser
}) => {
	const dataDir = mkdtempSync(join(tmpdir(), 'tongxing-offline-'));
	let server = await startServer(dataDir);
	try {
		// A team, a planned event, a volunteer in it. The volunteer's phone has a clock the test
		// can move on (Playwright's fake clock, running in real time until moved): waiting on
		// the phone is measured on that clock, so a report can be made to have waited two
		// minutes without the test waiting for them.
		// The phone is set to another time zone than the event's (Asia/Shanghai): the times it
		// shows, the offline mark's too, are the event's.
		const { captain, volunteer, teamId, token, eventPath, eventId } = await setUpDay(
			browser,
			ORIGIN,
			{ timezoneId: 'America/New_York' }
		);
		await volunteer.context.clock.install();

		// Installable: a manifest with the fields Chromium asks for, and a service worker.
		const v = volunteer.page;
		await v.goto(`${eventPath}/checkin`);
		await hydrated(v);
		const manifestHref = await v.locator('link[rel="manifest"]').getAttribute('href');
		const manifest = (await (await v.request.get(new URL(manifestHref!, ORIGIN).href)).json()) as {
			name: string;
			short_name: string;
			start_url: string;
			display: string;
			theme_color: string;
			icons: { sizes: string; type: string; src: string }[];
		};
		expect(manifest).toMatchObject({ name: '同行', display: 'standalone', start_url: '/teams' });
		expect(manifest.theme_color).toMatch(/^#[0-9a-f]{6}$/i);
		for (const size of ['192x192', '512x512']) {
			const icon = manifest.icons.find((i) => i.sizes === size && i.type === 'image/png');
			expect(icon, size).toBeTruthy();
			expect((await v.request.get(icon!.src)).status()).toBe(200);
		}
		// The pages' CSP allows our own worker and manifest, nothing else.
		const csp = (await v.request.get(`${eventPath}/checkin`)).headers()['content-security-policy'];
		expect(csp).toContain("worker-src 'self'");
		expect(csp).toContain("manifest-src 'self'");
		await expect
			.poll(() => v.evaluate(async () => (await navigator.serviceWorker.ready).active?.state))
			.toBe('activated');
		await expect
			.poll(() => v.evaluate(() => navigator.serviceWorker.controller !== null))
			.toBe(true);

		// The volunteer opens the day's pages once (the worker keeps them, and with them the
		// event's check-in link page, never opened here: the QR is scanned later, offline);
		// the captain keeps the incidents page open and shows the codes of the day and of the
		// mobilization meeting.
		const keptFrom = Date.now();
		for (const path of ['/me', '/checkin', '/incidents']) {
			await v.goto(`${eventPath}${path}`);
			await hydrated(v);
		}
		const linkPath = `/check-in/${eventId}`;
		await expect
			.poll(() => v.evaluate(async (path) => Boolean(await caches.match(path)), linkPath))
			.toBe(true);
		const c = captain.page;
		const codeOf = async (session: 'day' | 'meeting') => {
			await c.goto(`${eventPath}/checkin?session=${session}`);
			const shown = (await c.getByTestId('checkin-code').textContent())?.trim() ?? '';
			expect(shown).toMatch(/^\d{6}$/);
			return shown;
		};
		const code = await codeOf('day');
		const meetingCode = await codeOf('meeting');
		const meetingShownAt = Date.now();
		const forged = String((Number(code) + 500_001) % 1_000_000).padStart(6, '0');
		// What the QR on the captain's screen encodes (attendance/queries.ts getCodeScreen).
		const scanned = `${linkPath}?${new URLSearchParams({ session: 'meeting', code: meetingCode })}`;

		// Without JavaScript the check-in form posts as it always did (no worker, no outbox).
		const noScript = await phone(browser, '王芳', ORIGIN, { javaScriptEnabled: false });
		const plain = noScript.page;
		expect((await act(plain, `/invite/${token}?/join`, {})).type).toBe('redirect');
		await plain.goto(`${eventPath}/checkin`);
		await plain.getByLabel('签到码', { exact: true }).fill(code);
		await plain.getByRole('button', { name: '签到', exact: true }).click();
		await expect(plain.getByText('签到成功。')).toBeVisible();
		// And the QR's link page, on line, as before: the code from the address, one button.
		await plain.goto(scanned);
		await expect(plain.getByLabel('签到码', { exact: true })).toHaveCount(0);
		await plain.getByRole('button', { name: '签到', exact: true }).click();
		await expect(plain.getByRole('status')).toContainText(/已于 \d\d:\d\d 签到/);
		await noScript.context.close();
		await c.goto(`${eventPath}/incidents`);
		await hydrated(c);

		// The connection goes: the server stops, the phone is offline.
		await stopServer(server);
		await volunteer.context.setOffline(true);

		// My day opens after a reload, from the phone, marked as such.
		await v.goto(`${eventPath}/me`);
		await expect(v.getByTestId('offline-mark')).toContainText(/离线 · \d\d:\d\d 时的内容/);
		const keptAt = /(\d\d:\d\d)/.exec(
			(await v.getByTestId('offline-mark').textContent()) ?? ''
		)?.[1];
		const shanghai = (t: number) =>
			new Intl.DateTimeFormat('zh-CN', {
				timeZone: 'Asia/Shanghai',
				hour: '2-digit',
				minute: '2-digit',
				hourCycle: 'h23'
			}).format(t);
		const minutes = Array.from(
			{ length: Math.ceil((Date.now() - keptFrom) / 60_000) + 1 },
			(_, i) => shanghai(keptFrom + i * 60_000)
		);
		expect(minutes, "the offline mark reads the event's clock").toContain(keptAt);
		// The live status says what the phone knows: no network, not "connecting".
		await expect(v.getByTestId('live-status').getByRole('status')).toHaveAttribute(
			'data-state',
			'offline'
		);
		await expect(v.getByRole('heading', { level: 2 }).first()).toContainText('我的一天');
		// A page never opened on this phone: a proper offline page in the user's language.
		await v.goto(`/teams/${teamId}`);
		await expect(v.getByRole('heading', { name: '当前离线' })).toBeVisible();

		// An incident report.
		await v.goto(`${eventPath}/incidents`);
		await hydrated(v);
		await v.getByLabel('类别').selectOption({ label: '场地或设备' });
		await v.getByLabel('情况描述').fill('活动室的插线板冒烟了，已断电');
		await v.getByRole('button', { name: '立即报告队长' }).click();
		const report = v.getByTestId('outbox-item').filter({ hasText: '突发情况报告' });
		await expect(report).toContainText('等待发送');
		// What was typed went into the outbox, not lost: the form is ready for the next one.
		await expect(v.getByLabel('情况描述')).toHaveValue('');

		// The report waits two minutes on the phone (its clock moved on, not the test's): it
		// then reaches the captain in another minute than it was made, as a late one does.
		await volunteer.context.clock.fastForward('02:00');

		// A check-in with the code shown a moment before, and one with a forged code.
		await v.goto(`${eventPath}/checkin`);
		await hydrated(v);
		await expect(v.getByTestId('offline-mark')).toBeVisible();
		for (const typed of [code, forged]) {
			await v.getByLabel('签到码', { exact: true }).fill(typed);
			await v.getByRole('button', { name: '签到', exact: true }).click();
			await expect(
				v.getByTestId('outbox-item').filter({ hasText: `签到（签到码 ${typed}）` })
			).toContainText('等待发送');
		}
		await expect(v.getByRole('status').filter({ hasText: '没有网络：已保存在本机' })).toBeVisible();

		// The meeting's QR scanned with the phone's camera: its link opens the kept page, which
		// reads the code from the address; the check-in waits with the time of the scan.
		await v.goto(scanned);
		await expect(v.getByTestId('offline-mark')).toBeVisible();
		await hydrated(v);
		await expect(v.getByLabel('签到码', { exact: true })).toHaveCount(0);
		await v.getByRole('button', { name: '签到', exact: true }).click();
		await expect(
			v.getByTestId('outbox-item').filter({ hasText: `签到（签到码 ${meetingCode}）` })
		).toContainText('等待发送');

		// Reloading, and closing the tab, lose nothing.
		await v.reload();
		await expect(v.getByTestId('outbox-item')).toHaveCount(4);
		await v.close();
		const again = await volunteer.context.newPage();
		await again.goto(`${eventPath}/checkin`);
		await expect(again.getByTestId('outbox-item')).toHaveCount(4);
		await expect(again.getByTestId('outbox-item').first()).toContainText('等待发送');

		// The connection returns.
		server = await startServer(dataDir);
		await volunteer.context.setOffline(false);

		const items = again.getByTestId('outbox-item');
		await expect(items.filter({ hasText: `签到码 ${code}` })).toContainText('已发送', {
			timeout: 30_000
		});
		await expect(items.filter({ hasText: '突发情况报告' })).toContainText('已发送');
		await expect(items.filter({ hasText: `签到码 ${meetingCode}` })).toContainText('已发送');
		await expect(items.filter({ hasText: `签到码 ${forged}` })).toContainText(
			'被拒绝：签到码不正确'
		);

		// The captain's open page shows the incident, marked as sent late.
		await expect(c.getByTestId('incident-sent-late').first()).toContainText(
			/\d\d:\d\d 报告，\d\d:\d\d 收到/,
			{ timeout: 30_000 }
		);

		// In the database: each exactly once; the scan counts from when its code was shown.
		await stopServer(server);
		const pg = await PGlite.create(join(dataDir, 'pgdata'));
		try {
			const { rows: checkIns } = await pg.query<{ row: string }>(
				`select u.display_name || ' ' || a.session || ' ' || a.method as row
				 from attendance a join users u on u.id = a.user_id`
			);
			expect(checkIns.map((r) => r.row).sort()).toEqual([
				'张伟 day code',
				'张伟 meeting link',
				'王芳 day code',
				'王芳 meeting link'
			]);
			const { rows: meeting } = await pg.query<{ at: Date }>(
				`select checked_in_at as at from attendance a join users u on u.id = a.user_id
				 where session = 'meeting' and u.display_name = '张伟'`
			);
			// The end of the 30-second window whose code was scanned, not the arrival.
			expect(Math.abs(meeting[0].at.getTime() - meetingShownAt)).toBeLessThan(31_000);
			const { rows: reports } = await pg.query<{ reported_at: Date; created_at: Date }>(
				`select reported_at, created_at from incidents`
			);
			expect(reports).toHaveLength(1);
			expect(
				reports[0].created_at.getTime() - reports[0].reported_at.getTime()
			).toBeGreaterThanOrEqual(120_000);
			const { rows: keys } = await pg.query<{ kind: string }>(
				`select kind from outbox_keys order by kind`
			);
			expect(keys.map((k) => k.kind)).toEqual(['check_in', 'check_in', 'incident']);
		} finally {
			await pg.close();
		}
		await captain.context.close();
		await volunteer.context.close();
	} finally {
		await stopServer(server);
		rmSync(dataDir, { recursive: true, force: true });
	}
});

// Before the service worker controls the page (a first visit, a worker still installing), the
// page itself answers a form post that finds no network: what was typed stays and the page
// says so, and the outbox's forms still queue. Here the worker is blocked outright, and the
// phone speaks English (the first journey is in Chinese).
test('no service worker yet: a form that finds no network keeps what was typed, an incident waits', async ({
	browser,
	baseURL
}) => {
	test.setTimeout(120_000);
	const origin = baseURL ?? '';
	const { captain, volunteer, eventPath } = await setUpDay(browser, origin, {
		serviceWorkers: 'block',
		locale: 'en-US'
	});
	const v = volunteer.page;
	// The language the person chose (signing up keeps the one the app was shown in).
	const chosen = await v.request.post('/locale', {
		form: { locale: 'en', redirectTo: '/' },
		headers: { origin }
	});
	expect(chosen.status()).toBeLessThan(400);
	await v.goto(`${eventPath}/incidents`);
	await hydrated(v);
	expect(await v.evaluate(() => navigator.serviceWorker.controller)).toBeNull();

	// The server cannot be reached while the phone believes it is on line: the post fails.
	const report = (url: URL) => url.search === '?/report';
	await v.route(report, (route) => route.abort('internetdisconnected'));
	await v.getByLabel('Category').selectOption({ label: 'Venue or equipment' });
	await v.getByLabel('What happened').fill('The step at the door is loose');
	await v.getByRole('button', { name: 'Report to the captains now' }).click();
	const item = v.getByTestId('outbox-item').filter({ hasText: 'Incident report' });
	await expect(item).toContainText('Waiting to send');
	await expect(v.getByRole('heading', { name: /Something went wrong/ })).toHaveCount(0);
	// The network is back: the outbox sends it by itself (it retries every few seconds).
	await v.unroute(report);
	await expect(item).toContainText('Sent', { timeout: 20_000 });

	// A form outside the outbox, offline: no error page, what was typed is still there.
	await v.goto('/account');
	await hydrated(v);
	await volunteer.context.setOffline(true);
	await v.getByLabel('Phone (optional)').fill('13800001111');
	await v.locator('form[action="?/updateProfile"]').getByRole('button').click();
	await expect(v.getByTestId('form-offline')).toContainText('No connection: nothing was sent');
	await expect(v.getByRole('heading', { name: /Something went wrong/ })).toHaveCount(0);
	await expect(v.getByLabel('Phone (optional)')).toHaveValue('13800001111');
	// Back on line, the same form sends what was kept.
	await volunteer.context.setOffline(false);
	await v.locator('form[action="?/updateProfile"]').getByRole('button').click();
	await expect(v.getByTestId('form-offline')).toHaveCount(0);
	await v.reload();
	await expect(v.getByLabel('Phone (optional)')).toHaveValue('13800001111');

	// The captain sees the report once.
	await captain.page.goto(`${eventPath}/incidents`);
	await expect(captain.page.getByTestId('incident')).toHaveCount(1);
	await captain.context.close();
	await volunteer.context.close();
});
