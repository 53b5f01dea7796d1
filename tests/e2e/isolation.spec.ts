// Isolation between teams and between roles, over HTTP against the built app, for every row
// of tests/e2e/route-table.ts (which tests/unit/route-catalogue.test.ts keeps equal to the
// routes on disk). Two teams A and B, each with one of everything made through the forms:
// - B's captain (no member of A) gets 404 on every page, action and export of A, also when A's
//   ids are mixed into B's URLs or forms;
// - A's volunteer gets 403 on every captain-only or staff-only page, action and export;
// - someone signed out is sent to sign-in (401 for JSON);
// and no refused request changes a row (the test hook's database digest before and after).
import { expect, test } from '@playwright/test';
import { join } from 'node:path';
import { changedTables, Client, type Digest, type Outcome } from './http-client';
import { call, Findings, TEAM_ROWS, ROWS, type Row } from './route-calls';
import { fieldNames, ROUTES, type Body, type World } from './route-table';
import { assertCovered, readCatalogue } from './routes-catalogue';
import { seedTeam, type SeededTeam } from './seed';

test.describe.configure({ mode: 'serial' });

let a: SeededTeam;
let b: SeededTeam;
let volunteer: Client;
let anonymous: Client;

test.beforeAll(async ({ baseURL }) => {
	test.setTimeout(120_000);
	const origin = baseURL ?? '';
	volunteer = await Client.open(origin);
	a = await seedTeam(origin, 'A', volunteer);
	b = await seedTeam(origin, 'B');
	anonymous = await Client.open(origin);
});

test.afterAll(async () => {
	for (const client of [a?.captain, b?.captain, volunteer, anonymous]) await client?.dispose();
});

const describe = (res: Outcome) =>
	`${res.status}${res.type ? ` (${res.type})` : ''}${res.location ? ` → ${res.location}` : ''}`;

/**
 * Calls each row (actions plainly and enhanced), expects `check` to hold, and checks after every
 * action that the database is unchanged.
 */
async function refuseAll(
	client: Client,
	rows: Row[],
	world: (row: Row) => World,
	check: (res: Outcome, row: Row) => boolean,
	findings: Findings
) {
	let baseline: Digest = await a.captain.digest();
	for (const row of rows) {
		const variants = row.kind === 'action' ? [false, true] : [false];
		for (const enhanced of variants) {
			const res = await call(client, row, world(row), { enhanced });
			if (res.status >= 500) findings.add(row, `server error ${describe(res)}`);
			else if (!check(res, row)) {
				findings.add(row, `${enhanced ? 'enhanced ' : ''}got ${describe(res)}`);
			}
		}
		if (row.kind !== 'load') {
			const after = await a.captain.digest();
			const changed = changedTables(baseline, after);
			if (changed.length > 0) findings.add(row, `changed ${changed.join(', ')}`);
			baseline = after;
		}
	}
}

const is404 = (res: Outcome) => res.status === 404;
const isUuid = (v: string) => /^[0-9a-f-]{36}$/.test(v);

test('the table covers every route and action on disk (a new one fails here, named)', () => {
	const onDisk = readCatalogue(join(process.cwd(), 'src/routes')).map((e) => e.id);
	assertCovered(onDisk, Object.keys(ROUTES), 'tests/e2e/route-table.ts');
	expect(onDisk.length).toBe(Object.keys(ROUTES).length);
});

test('controls: the captain opens every page and export of the team; the volunteer every member page', async () => {
	const findings = new Findings();
	for (const row of TEAM_ROWS.filter((r) => r.kind !== 'action')) {
		const res = await call(a.captain, row, a.world);
		if (res.status !== 200) findings.add(row, `captain got ${describe(res)}`);
		if (row.rule.access === 'member') {
			const own = await call(volunteer, row, a.world);
			if (own.status !== 200) findings.add(row, `volunteer got ${describe(own)}`);
		}
	}
	expect(findings.problems, findings.toString()).toEqual([]);
});

test('a member of another team gets 404 on every page, action and export of team A, and nothing changes', async () => {
	test.setTimeout(180_000);
	const findings = new Findings();
	await refuseAll(b.captain, TEAM_ROWS, () => a.world, is404, findings);
	expect(findings.problems, findings.toString()).toEqual([]);
});

/** Bodies no action accepts: nothing, junk in every field, a NUL, a stray field. */
function invalidBodies(row: Row, w: World): Body[] {
	const names = fieldNames(row.rule, w);
	const junk = (value: string) => Object.fromEntries(names.map((n) => [n, value]));
	return [{}, junk('not-a-valid-value'), junk('-1'), junk('a\u0000b'), { stray: '\u0007' }];
}

test('a member of another team gets 404 on every action of team A whatever the body (invalid ones too), and nothing changes', async () => {
	test.setTimeout(300_000);
	const findings = new Findings();
	let baseline: Digest = await a.captain.digest();
	for (const row of TEAM_ROWS.filter((r) => r.kind === 'action')) {
		for (const [i, body] of invalidBodies(row, a.world).entries()) {
			const enhanced = i % 2 === 1;
			const res = await call(b.captain, row, a.world, { enhanced, body });
			if (res.status !== 404) {
				findings.add(
					row,
					`${enhanced ? 'enhanced ' : ''}${JSON.stringify(body)}: ${describe(res)}`
				);
			}
		}
		const after = await a.captain.digest();
		const changed = changedTables(baseline, after);
		if (changed.length > 0) findings.add(row, `changed ${changed.join(', ')}`);
		baseline = after;
	}
	expect(findings.problems, findings.toString()).toEqual([]);
});

test("A's events, tasks and objects reached through B's own URLs and forms are 404 too", async () => {
	test.setTimeout(180_000);
	const findings = new Findings();
	// B's team with A's event (and A's task): the team in the URL is B's, the event is not.
	const refuseRowsWith = (param: string, world: World) =>
		refuseAll(
			b.captain,
			TEAM_ROWS.filter((r) => r.path.includes(`[${param}=uuid]`)),
			() => world,
			is404,
			findings
		);
	await refuseRowsWith('eventId', { ...a.world, teamId: b.world.teamId });
	// B's own event with A's task.
	await refuseRowsWith('taskId', { ...b.world, taskId: a.world.taskId });
	// B's own URLs with A's ids in the form (a group, an item, a member of A...): refused as
	// unknown (404) or invalid (400), never applied.
	const aIds = new Set(
		Object.entries(a.world)
			.filter(([key, value]) => !['teamId', 'eventId', 'taskId'].includes(key) && isUuid(value))
			.map(([, value]) => value)
	);
	const mixed = (row: Row): World => ({
		...a.world,
		teamId: b.world.teamId,
		eventId: b.world.eventId,
		taskId: row.path.includes('[taskId=uuid]') ? b.world.taskId : a.world.taskId
	});
	const formRows = TEAM_ROWS.filter((row) => {
		if (row.kind !== 'action' || !row.rule.body) return false;
		return Object.values(row.rule.body(mixed(row))).some((v) =>
			[v].flat().some((x) => aIds.has(x) || x === a.world.taskId)
		);
	});
	expect(formRows.length).toBeGreaterThan(30);
	await refuseAll(
		b.captain,
		formRows,
		mixed,
		(res) => res.status === 404 || res.status === 400,
		findings
	);
	expect(findings.problems, findings.toString()).toEqual([]);
});

test("A's volunteer gets 403 on every captain-only and staff-only page, action and export, and nothing changes", async () => {
	test.setTimeout(180_000);
	const findings = new Findings();
	const guarded = TEAM_ROWS.filter((r) => r.rule.access === 'captain' || r.rule.access === 'staff');
	expect(guarded.length).toBeGreaterThan(50);
	await refuseAll(
		volunteer,
		guarded,
		() => a.world,
		(res) => res.status === 403,
		findings
	);
	// Hours: one's own certificate, not another member's.
	const certificate = ROWS.find((r) => r.id.endsWith('/hours/certificate'));
	if (!certificate) throw new Error('no certificate row');
	const other = await call(volunteer, certificate, a.world, {
		query: `?userId=${a.world.captainId}`
	});
	if (other.status !== 403) findings.add(certificate, `another member's: ${describe(other)}`);
	const own = await call(volunteer, certificate, a.world, {
		query: `?userId=${a.world.volunteerId}`
	});
	if (own.status !== 200) findings.add(certificate, `one's own: ${describe(own)}`);
	expect(findings.problems, findings.toString()).toEqual([]);
});

test('signed out: every signed-in page, action and export sends to sign-in (JSON: 401), and nothing changes', async () => {
	test.setTimeout(180_000);
	const findings = new Findings();
	const rows = ROWS.filter((r) => r.rule.access !== 'public' && r.rule.access !== 'testHook');
	await refuseAll(
		anonymous,
		rows,
		() => a.world,
		(res, row) =>
			row.id === 'GET /api/realtime/token'
				? res.status === 401
				: res.status === 303 && (res.location ?? '').startsWith('/sign-in?redirectTo='),
		findings
	);
	expect(findings.problems, findings.toString()).toEqual([]);
});

test("the check-in link of A's event tells a member of B nothing and checks nobody in", async () => {
	const path = `/check-in/${a.world.eventId}`;
	const page = await b.captain.get(path);
	expect(page.status).toBe(200);
	expect(page.text).not.toContain('Reading day A');
	const before = await a.captain.digest();
	for (const enhanced of [false, true]) {
		const res = await b.captain.post(
			path,
			'checkIn',
			{ code: '123456', session: 'day' },
			{ enhanced }
		);
		expect(res.status, describe(res)).toBe(404);
	}
	expect(changedTables(before, await a.captain.digest())).toEqual([]);
});
