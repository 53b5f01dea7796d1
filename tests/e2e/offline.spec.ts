// The day on a poor connection, on a 360×640 phone: the app is installable, the day's pages
// open without a connection, and what a volunteer does offline (a check-in with the code shown
// a moment before, an incident report) waits in the phone's outbox, survives reloading and
// closing the tab, and reaches the server exactly once when the connection returns; a forged
// code is refused on arrival and the volunteer is told. The server is this spec's own (a fixed
// port, its own data folder), stopped and started again, as the network of a village yard is.
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import type { ChildProcess } from 'node:child_process';
import { startOwnServer } from './own-server';
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
	startOwnServer(PORT, dataDir, { TONGXING_TEST_HOOKS: '1' });

async function stopServer(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return;
	const exited = new Promise((resolve) => child.once('exit', resolve));
	child.kill('SIGTERM');
	await exited;
}

async function phone(
	browser: Browser,
	name: string
): Promise<{ context: BrowserContext; page: Page }> {
	const context = await browser.newContext({ viewport: PHONE, baseURL: ORIGIN });
	const page = await context.newPage();
	const res = await page.request.post('/api/test/sign-up', {
		form: {
			email: `${crypto.randomUUID().slice(0, 8)}@example.test`,
			displayName: name,
			password: 'offline-day-2026'
		},
		headers: { origin: ORIGIN }
	});
	expect(res.status(), await res.text()).toBe(200);
	return { context, page };
}

/** A form action as `use:enhance` posts it, with the page's own cookies. */
async function act(page: Page, path: string, form: Record<string, string>) {
	const res = await page.request.post(path, {
		form,
		headers: { origin: ORIGIN, accept: 'application/json', 'x-sveltekit-action': 'true' }
	});
	const body = (await res.json()) as { type: string; location?: string; data?: string };
	return { ...body, data: body.data ? (parse(body.data) as Record<string, unknown>) : undefined };
}

test('offline: the day opens, a check-in and an incident wait on the phone and arrive once', async ({
	browser
}) => {
	const dataDir = mkdtempSync(join(tmpdir(), 'tongxing-offline-'));
	let server = await startServer(dataDir);
	try {
		// A team, a planned event, a volunteer in it.
		const captain = await phone(browser, '林晓');
		const volunteer = await phone(browser, '张伟');
		const team = await act(captain.page, '/teams?/create', { name: '离线测试服务队' });
		const teamId = /\/teams\/([0-9a-f-]{36})/.exec(team.location ?? '')?.[1];
		expect(teamId, JSON.stringify(team)).toBeTruthy();
		const invite = await act(captain.page, `/teams/${teamId}?/createInvite`, {
			role: 'volunteer',
			maxUses: '5'
		});
		const token = (invite.data?.invite as { url: string }).url.split('/invite/')[1];
		expect((await act(volunteer.page, `/invite/${token}?/join`, {})).type).toBe('redirect');
		const created = await act(captain.page, `/teams/${teamId}/events/new?/create`, {
			title: '走进社区，关爱留守儿童',
			date: '2030-07-12',
			startTime: '08:30',
			endTime: '12:30'
		});
		const eventPath = /\/teams\/[0-9a-f-]{36}\/events\/[0-9a-f-]{36}/.exec(
			created.location ?? ''
		)?.[0];
		expect(eventPath, JSON.stringify(created)).toBeTruthy();
		expect((await act(captain.page, `${eventPath}?/status`, { status: 'planned' })).type).toBe(
			'success'
		);

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

		// The volunteer opens the day's pages once (the worker keeps them); the captain keeps
		// the incidents page open and shows the code.
		for (const path of ['/me', '/checkin', '/incidents']) {
			await v.goto(`${eventPath}${path}`);
			await hydrated(v);
		}
		const c = captain.page;
		await c.goto(`${eventPath}/checkin`);
		const code = (await c.getByTestId('checkin-code').textContent())?.trim() ?? '';
		expect(code).toMatch(/^\d{6}$/);
		const forged = String((Number(code) + 500_001) % 1_000_000).padStart(6, '0');

		// Without JavaScript the check-in form posts as it always did (no worker, no outbox).
		const noScript = await browser.newContext({
			viewport: PHONE,
			baseURL: ORIGIN,
			javaScriptEnabled: false
		});
		const plain = await noScript.newPage();
		const signedUp = await plain.request.post('/api/test/sign-up', {
			form: {
				email: `${crypto.randomUUID().slice(0, 8)}@example.test`,
				displayName: '王芳',
				password: 'offline-day-2026'
			},
			headers: { origin: ORIGIN }
		});
		expect(signedUp.status()).toBe(200);
		expect((await act(plain, `/invite/${token}?/join`, {})).type).toBe('redirect');
		await plain.goto(`${eventPath}/checkin`);
		await plain.getByLabel('签到码', { exact: true }).fill(code);
		await plain.getByRole('button', { name: '签到', exact: true }).click();
		await expect(plain.getByText('签到成功。')).toBeVisible();
		await noScript.close();
		await c.goto(`${eventPath}/incidents`);
		await hydrated(c);

		// The connection goes: the server stops, the phone is offline.
		await stopServer(server);
		await volunteer.context.setOffline(true);

		// My day opens after a reload, from the phone, marked as such.
		await v.goto(`${eventPath}/me`);
		await expect(v.getByTestId('offline-mark')).toContainText(/离线 · \d\d:\d\d 时的内容/);
		await expect(v.getByRole('heading', { level: 2 }).first()).toContainText('我的一天');
		// A page never opened on this phone: a proper offline page in the user's language.
		await v.goto(`/teams/${teamId}`);
		await expect(v.getByRole('heading', { name: '当前离线' })).toBeVisible();

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
		const savedMinute = new Date().getMinutes();

		// Reloading, and closing the tab, lose nothing.
		await v.reload();
		await expect(v.getByTestId('outbox-item')).toHaveCount(3);
		await v.close();
		const again = await volunteer.context.newPage();
		await again.goto(`${eventPath}/checkin`);
		await expect(again.getByTestId('outbox-item')).toHaveCount(3);
		await expect(again.getByTestId('outbox-item').first()).toContainText('等待发送');

		// Sent late: the connection returns in a later minute than the report was made.
		await expect
			.poll(() => new Date().getMinutes() !== savedMinute, { timeout: 65_000, intervals: [1_000] })
			.toBe(true);
		server = await startServer(dataDir);
		await volunteer.context.setOffline(false);

		const items = again.getByTestId('outbox-item');
		await expect(items.filter({ hasText: `签到码 ${code}` })).toContainText('已发送', {
			timeout: 30_000
		});
		await expect(items.filter({ hasText: '突发情况报告' })).toContainText('已发送');
		await expect(items.filter({ hasText: `签到码 ${forged}` })).toContainText(
			'被拒绝：签到码不正确'
		);

		// The captain's open page shows the incident, marked as sent late.
		await expect(c.getByTestId('incident-sent-late').first()).toContainText(
			/\d\d:\d\d 报告，\d\d:\d\d 收到/,
			{ timeout: 30_000 }
		);

		// In the database: each exactly once.
		await stopServer(server);
		const pg = await PGlite.create(join(dataDir, 'pgdata'));
		try {
			const { rows: checkIns } = await pg.query<{ n: number }>(
				`select count(*)::int as n from attendance a join users u on u.id = a.user_id
				 where u.display_name in ('张伟', '王芳') group by u.id`
			);
			expect(checkIns.map((r) => r.n)).toEqual([1, 1]);
			const { rows: reports } = await pg.query<{ reported_at: Date; created_at: Date }>(
				`select reported_at, created_at from incidents`
			);
			expect(reports).toHaveLength(1);
			expect(reports[0].reported_at.getTime()).toBeLessThan(reports[0].created_at.getTime());
			const { rows: keys } = await pg.query<{ kind: string }>(
				`select kind from outbox_keys order by kind`
			);
			expect(keys.map((k) => k.kind)).toEqual(['check_in', 'incident']);
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
