// Hostile input, property-based (fast-check), over HTTP against the built app: every form
// action and JSON endpoint of tests/e2e/route-table.ts gets generated bad input — wrong types,
// missing and extra fields, 100k-character and Unicode-heavy strings (RTL, zero-width, emoji,
// lone surrogates, NUL and the other C0 control characters), negative, huge and NaN numbers, impossible dates, SQL and HTML payloads,
// wrong content types and broken encodings. No answer may be a 5xx; a refusal changes no row
// (the test hook's database digest before and after); a refusal's messages are in the user's
// language, never a bare message key. HTML that is accepted and stored renders inert.
//
// Runs: HOSTILE_RUNS per action (default 8), seed HOSTILE_SEED (default fixed, printed on a
// failure together with the counterexample: rerun with the same seed to replay it).
import { expect, test, type Page } from '@playwright/test';
import { parse } from 'devalue';
import fc from 'fast-check';
import { changedTables, Client, type Digest, type Outcome } from './http-client';
import { call, ROWS, urlOf, type Row } from './route-calls';
import { fieldNames, type Body, type World } from './route-table';
import { seedTeam, type SeededTeam } from './seed';
import { hydrated } from './hydrated';

// Independent tests, each on a team of its own (seeded at its start), so that Playwright's
// workers share them; the big POST table is cut into HOSTILE_SHARDS parts (default 3).
test.describe.configure({ mode: 'parallel' });

const RUNS = Number(process.env.HOSTILE_RUNS ?? 8);
const SEED = Number(process.env.HOSTILE_SEED ?? 20261129);

/** Public rows whose buckets are per IP and shared with the rest of the suite: fewer runs. */
const FEWER_RUNS: Record<string, number> = {
	'action /c/[token]?/confirm': 2,
	'action /c/[token]?/withdraw': 2,
	'action /c/[token]?/propose': 5,
	'action /reset/[token]?/reset': 5,
	'action /invite/[token]?/join': 3
};

const SQL = [
	"'; drop table users; --",
	"' or '1'='1",
	'1; select pg_sleep(5)',
	'$$; delete from teams; $$',
	'\\x00\\',
	"admin'--"
];
const HTML = [
	'<script>window.__xss=1</script>',
	'<img src=x onerror=window.__xss=1>',
	'"><svg onload=window.__xss=1>',
	"javascript:alert('x')",
	'{{constructor.constructor("alert(1)")()}}',
	'<!--',
	'&lt;b&gt;'
];
const UNICODE = [
	'\u202Eevil\u202C',
	'\u05E9\u05DC\u05D5\u05DD \u0645\u0631\u062D\u0628\u0627',
	'a\u200Bb\u200Cc\u200Dd\uFEFF',
	'👨‍👩‍👧‍👦🏳️‍🌈'.repeat(20),
	'\uD800',
	'a\uDFFFb',
	'Z̷̧͚̈́a̴̘͂l̶̰̈g̸̱̈́o̷͍͝',
	'\u0000',
	'a\u0000b',
	'\u0001\u0007\u0008',
	'\u000B\u000C',
	'x\u001Bx\u001F',
	'\r\n\t',
	'ℌ𝔢𝔩𝔩𝔬 ｆｕｌｌｗｉｄｔｈ'
];
const NUMBERS = [
	'-1',
	'0',
	'-0',
	'1e308',
	'-1e308',
	'NaN',
	'Infinity',
	'9'.repeat(40),
	'1.5',
	'0x10',
	' 7 ',
	'1e-7'
];
const DATES = [
	'2030-02-30',
	'0000-00-00',
	'9999-12-31',
	'+275760-09-13',
	'2030-13-01',
	'24:00',
	'23:60',
	'-01:00',
	'2030-07-20T25:00',
	'1969-12-31'
];
const SHAPES = [
	'',
	' ',
	'null',
	'undefined',
	'true',
	'on',
	'[]',
	'{}',
	'[object Object]',
	'__proto__',
	'constructor'
];
const HUGE = ['x'.repeat(100_000), '字'.repeat(50_000), '<'.repeat(20_000)];
/** Plausible values, so that some inputs pass the first checks and reach deeper ones. */
const PLAUSIBLE = [
	'2030-07-20',
	'08:30',
	'12:00',
	'5',
	'30',
	'volunteer',
	'leader',
	'day',
	'meeting',
	'books',
	'expense:printing',
	'venue',
	'low',
	'performance',
	'rehearsing',
	'up',
	'#1d4ed8',
	'13800000000',
	'a@example.test',
	'Asia/Shanghai',
	'Mars/Olympus'
];

function valueArb(ids: string[]): fc.Arbitrary<string> {
	return fc.oneof(
		{ arbitrary: fc.constantFrom(...SQL, ...HTML), weight: 3 },
		{ arbitrary: fc.constantFrom(...UNICODE), weight: 2 },
		{ arbitrary: fc.constantFrom(...NUMBERS), weight: 2 },
		{ arbitrary: fc.constantFrom(...DATES), weight: 2 },
		{ arbitrary: fc.constantFrom(...SHAPES), weight: 2 },
		{ arbitrary: fc.constantFrom(...HUGE), weight: 1 },
		{ arbitrary: fc.constantFrom(...PLAUSIBLE), weight: 3 },
		{ arbitrary: fc.constantFrom(...ids), weight: 3 },
		{ arbitrary: fc.uuid(), weight: 1 },
		{ arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 2 },
		{ arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }), weight: 1 },
		{ arbitrary: fc.oneof(fc.integer(), fc.double()).map(String), weight: 1 }
	);
}

type Input =
	| { kind: 'form'; body: Body }
	| { kind: 'raw'; data: string | Buffer; contentType: string; label: string };

function inputArb(names: string[], ids: string[]): fc.Arbitrary<Input> {
	const value = valueArb(ids);
	const field = fc.oneof(
		{ arbitrary: value, weight: 6 },
		{ arbitrary: fc.array(value, { minLength: 2, maxLength: 3 }), weight: 1 }
	);
	const known = fc.record(Object.fromEntries(names.map((n) => [n, field])), { requiredKeys: [] });
	const extra = fc.dictionary(
		fc.oneof(
			fc.constantFrom('__proto__', 'constructor', 'id', 'teamId', 'role', 'userId'),
			fc.string({ maxLength: 12 })
		),
		field,
		{ maxKeys: 3 }
	);
	const form = fc
		.tuple(known, extra)
		.map(([k, e]): Input => ({ kind: 'form', body: { ...e, ...(k as Body) } }));
	const raw = fc.constantFrom<Input>(
		{
			kind: 'raw',
			label: 'JSON',
			contentType: 'application/json',
			data: JSON.stringify({ title: ['x'], capacity: -1, __proto__: { admin: true } })
		},
		{ kind: 'raw', label: 'text/plain', contentType: 'text/plain', data: 'title=x&capacity=2' },
		{
			kind: 'raw',
			label: 'broken percent-encoding',
			contentType: 'application/x-www-form-urlencoded',
			data: 'title=%E0%A4%A&name=%ZZ&x=%'
		},
		{
			kind: 'raw',
			label: 'invalid UTF-8',
			contentType: 'application/x-www-form-urlencoded',
			data: Buffer.from([
				0x74, 0x69, 0x74, 0x6c, 0x65, 0x3d, 0xc3, 0x28, 0xff, 0xfe, 0xed, 0xa0, 0x80
			])
		},
		{
			kind: 'raw',
			label: 'multipart with a file',
			contentType: 'multipart/form-data; boundary=XyZ',
			data: '--XyZ\r\nContent-Disposition: form-data; name="title"; filename="a.exe"\r\nContent-Type: application/octet-stream\r\n\r\nMZ\x00\x00\r\n--XyZ--\r\n'
		},
		{
			kind: 'raw',
			label: 'truncated multipart',
			contentType: 'multipart/form-data; boundary=XyZ',
			data: '--XyZ\r\nContent-Disposition: form-data; name="title"\r\n\r\nx'
		},
		{
			kind: 'raw',
			label: 'body over the size limit',
			contentType: 'application/x-www-form-urlencoded',
			data: `title=${'y'.repeat(600_000)}`
		}
	);
	return fc.oneof({ arbitrary: form, weight: 8 }, { arbitrary: raw, weight: 1 });
}

/** A message key such as `error_invalid` or `tasks_error_title_required` shown as it is. */
const RAW_KEY = /^[a-z]+(?:_[a-z0-9]+)+$/;

/** Messages of an enhanced action's failure (its `message` and per-field messages). */
function failureMessages(text: string): string[] {
	const result = JSON.parse(text) as { type: string; data?: string };
	if (result.type !== 'failure' || !result.data) return [];
	const data = parse(result.data) as { message?: unknown; fields?: Record<string, unknown> };
	const messages: string[] = [];
	if (typeof data?.message === 'string') messages.push(data.message);
	for (const list of Object.values(data?.fields ?? {})) {
		if (Array.isArray(list))
			messages.push(...list.filter((m): m is string => typeof m === 'string'));
	}
	return messages;
}

/** Long strings cut short, so that a counterexample stays readable. */
function short(value: unknown): string {
	return JSON.stringify(value, (_, v: unknown) =>
		typeof v === 'string' && v.length > 80 ? `${v.slice(0, 40)}…(${v.length} chars)` : v
	);
}

/** Runs a property; a failure comes back as one readable line with the seed to replay it. */
async function runProperty<T>(
	label: string,
	property: fc.IAsyncPropertyWithHooks<T>,
	numRuns: number
): Promise<string | null> {
	const details = await fc.check(property, { numRuns, seed: SEED, endOnFailure: true });
	if (!details.failed) return null;
	const error =
		details.errorInstance instanceof Error
			? details.errorInstance.message
			: String(details.errorInstance);
	return `${label}: ${error}\n    input: ${short(details.counterexample)}\n    replay: HOSTILE_SEED=${details.seed} HOSTILE_ROWS='${label.replace(/[[\]?/.]/g, '\\$&')}'`;
}

/** HOSTILE_ROWS (a regular expression) narrows the rows, to replay one. */
const ONLY = process.env.HOSTILE_ROWS ? new RegExp(process.env.HOSTILE_ROWS) : null;

let a: SeededTeam;
let anonymous: Client | undefined;
let baseline: Digest;

/** A team of its own for the test about to run (tests of this file share a worker's module). */
async function freshWorld(origin: string): Promise<void> {
	await a?.captain.dispose();
	a = await seedTeam(origin, 'H', await Client.open(origin));
	anonymous ??= await Client.open(origin);
	// A refused form posted without JavaScript renders its page again, and some pages make
	// rows on first use (the check-in screen's secret): open every page once beforehand, so
	// that a digest tells what the refused action itself wrote.
	for (const row of ROWS.filter((r) => r.kind === 'load' && r.path.startsWith('/teams/'))) {
		expect((await call(a.captain, row, a.world)).status, row.id).toBe(200);
	}
}

test.afterAll(async () => {
	await a?.captain.dispose();
	await anonymous?.dispose();
});

/** Checks one answer; returns a problem or null. Keeps the digest baseline up to date. */
async function judge(res: Outcome, enhanced: boolean): Promise<string | null> {
	if (res.httpStatus >= 500 || res.status >= 500)
		return `server error ${res.httpStatus}/${res.status}: ${res.text.slice(0, 300)}`;
	// An enhanced `error` result below 500 is SvelteKit's own refusal (415 for a body that is
	// not a form): a non-browser client's mistake, answered as such.
	const refused = res.status >= 400;
	const after = await a.captain.digest();
	if (refused) {
		const changed = changedTables(baseline, after);
		baseline = after;
		if (changed.length > 0) return `refused with ${res.status} but changed ${changed.join(', ')}`;
		if (enhanced && res.type === 'failure') {
			const raw = failureMessages(res.text).filter((m) => RAW_KEY.test(m));
			if (raw.length > 0) return `messages not in the user's language: ${raw.join(', ')}`;
		}
	}
	baseline = after;
	return null;
}

/** Destructive rows last, so that the others still find the seeded objects. */
const DESTRUCTIVE =
	/\?\/(delete|remove|withdraw|revoke|leave|status|deleteEntry|deleteSponsor|deleteAnnouncement|removeItem|removeMember)/;
const postRows = ROWS.filter(
	(r) =>
		r.rule.access !== 'testHook' &&
		(r.kind === 'action' || (r.kind === 'endpoint' && r.name === 'POST')) &&
		r.id !== 'POST /sign-out' &&
		r.id !== 'POST /realtime/v1/api/broadcast'
).sort((x, y) => Number(DESTRUCTIVE.test(x.id)) - Number(DESTRUCTIVE.test(y.id)));

function worldFor(row: Row): { client: Client; world: World; params: Record<string, string> } {
	const isPublic = row.rule.access === 'public';
	return {
		client: isPublic ? anonymous! : a.captain,
		world: a.world,
		params: {
			token: row.path.startsWith('/c/')
				? a.tokens.contact
				: row.path.startsWith('/invite/')
					? a.tokens.invite
					: 'x'.repeat(32)
		}
	};
}

const SHARDS = Math.max(1, Number(process.env.HOSTILE_SHARDS ?? 3));

for (let shard = 0; shard < SHARDS; shard++) {
	test(`every form action and POST endpoint (part ${shard + 1} of ${SHARDS}): generated bad input never gets a 5xx, a refusal changes nothing and speaks the user’s language`, async ({
		baseURL
	}) => {
		test.setTimeout(600_000);
		await freshWorld(baseURL ?? '');
		baseline = await a.captain.digest();
		const ids = Object.values(a.world);
		const problems: string[] = [];
		for (const row of postRows.filter(
			(r, i) => i % SHARDS === shard && (!ONLY || ONLY.test(r.id))
		)) {
			const { client, world, params } = worldFor(row);
			const w = { ...world, ...params } as World;
			const names = fieldNames(row.rule, w);
			const url = urlOf(row, w);
			const problem = await runProperty(
				row.id,
				fc.asyncProperty(inputArb(names, ids), fc.boolean(), async (input, enhanced) => {
					const res =
						input.kind === 'form'
							? await call(client, row, w, { enhanced, body: input.body })
							: await client.post(
									url,
									row.kind === 'action' ? (row.name ?? 'default') : null,
									{},
									{ enhanced, raw: { data: input.data, contentType: input.contentType } }
								);
					const found = await judge(res, enhanced);
					if (found) throw new Error(found);
				}),
				FEWER_RUNS[row.id] ?? RUNS
			);
			if (problem) problems.push(problem);
		}
		expect(problems, problems.join('\n\n')).toEqual([]);
	});
}

/** C0 controls no field may hold (tab, line feed and carriage return are tested apart). */
const CONTROLS = ['\u0000', '\u0001', '\u0007', '\u0008', '\u000B', '\u000C', '\u001B', '\u001F'];
/** Fields that may hold line breaks (src/lib/server/forms.ts MULTILINE_FIELDS). */
const MULTILINE = new Set(['body', 'description', 'needsNote', 'note', 'notes', 'resolution']);
/** Actions that never read their body: what it holds cannot reach anything. */
const BODILESS = new Set([
	'action /invite/[token]?/join',
	'action /calendar?/create',
	'action /calendar?/revoke'
]);

// Cut into the same number of parts as the POST table, by action; the cases are listed over
// all actions first, so an action gets the same characters and modes in any part.
for (let shard = 0; shard < SHARDS; shard++) {
	test(`every form action (part ${shard + 1} of ${SHARDS}): a NUL or other C0 control character in any field, or a line break in a one-line field, is a 400 in the user’s language that changes nothing`, async ({
		baseURL
	}) => {
		test.setTimeout(600_000);
		await freshWorld(baseURL ?? '');
		baseline = await a.captain.digest();
		const problems: string[] = [];
		const actionRows = postRows.filter(
			(r) => r.kind === 'action' && !BODILESS.has(r.id) && (!ONLY || ONLY.test(r.id))
		);
		let turn = 0;
		const cases = actionRows.flatMap((row, index) => {
			const { client, world, params } = worldFor(row);
			const w = { ...world, ...params } as World;
			const valid = row.rule.body?.(w) ?? {};
			// An action without fields gets one made up: every form body is checked as a whole.
			const names = fieldNames(row.rule, w);
			return (names.length > 0 ? names : ['note']).flatMap((name) => {
				const bad = [`a${CONTROLS[turn++ % CONTROLS.length]}b`];
				if (!MULTILINE.has(name)) bad.push('one\ntwo', 'one\rtwo');
				return bad.map((value) => ({
					index,
					row,
					client,
					w,
					name,
					body: { ...valid, [name]: value },
					value,
					enhanced: turn % 2 === 0
				}));
			});
		});
		for (const { row, client, w, name, body, value, enhanced } of cases.filter(
			(c) => c.index % SHARDS === shard
		)) {
			const res = await call(client, row, w, { enhanced, body });
			const what = `${row.id} ${name}=${JSON.stringify(value)}${enhanced ? ' (enhanced)' : ''}`;
			if (res.status !== 400) problems.push(`${what}: ${res.status} ${res.text.slice(0, 120)}`);
			else if (!res.text.includes('控制字符')) problems.push(`${what}: no zh-CN message`);
			const found = await judge(res, enhanced);
			if (found) problems.push(`${what}: ${found}`);
		}
		expect(problems, problems.join('\n')).toEqual([]);
	});
}

// The fields the phone's outbox adds to a queued command: a valid form with a bad key or a bad
// wait is refused for that reason with a 400 (which the outbox shows as refused, never
// retrying it), in the user's language, and changes nothing. The captain sends them all, the check-in link's too (it reads them only
// from someone signed in).
test('the outbox fields (outboxKey, waitedMs): a bad value is a clear 400 that changes nothing', async ({
	baseURL
}) => {
	test.setTimeout(180_000);
	await freshWorld(baseURL ?? '');
	baseline = await a.captain.digest();
	const rows = postRows.filter(
		(r) => r.kind === 'action' && fieldNames(r.rule, a.world).includes('waitedMs')
	);
	expect(rows.length).toBeGreaterThanOrEqual(7);
	const bad = [
		{ outboxKey: 'not-a-uuid', message: '输入有误' },
		{ outboxKey: "'; drop table users; --", message: '输入有误' },
		{ waitedMs: '-1', message: '等待时间无效' },
		{ waitedMs: '1.5', message: '等待时间无效' },
		{ waitedMs: 'NaN', message: '等待时间无效' },
		{ waitedMs: '1e308', message: '等待时间无效' },
		{ waitedMs: String(8 * 24 * 3600 * 1000), message: '等待时间无效' }
	];
	const problems: string[] = [];
	for (const row of rows) {
		const valid = row.rule.body?.(a.world) ?? {};
		// The same form with good outbox fields is not refused as "invalid input": the refusals
		// below are the outbox fields' own.
		const control = await call(a.captain, row, a.world, {
			enhanced: true,
			body: { ...valid, outboxKey: crypto.randomUUID(), waitedMs: '1000' }
		});
		if (control.text.includes('输入有误')) problems.push(`${row.id}: the valid form is refused`);
		await judge(control, true);
		for (const [i, { message, ...fields }] of bad.entries()) {
			const enhanced = i % 2 === 0;
			const body = { ...valid, outboxKey: crypto.randomUUID(), waitedMs: '1000', ...fields };
			const res = await call(a.captain, row, a.world, { enhanced, body });
			const what = `${row.id} ${JSON.stringify(fields)}${enhanced ? ' (enhanced)' : ''}`;
			if (res.status !== 400) problems.push(`${what}: ${res.status} ${res.text.slice(0, 120)}`);
			else if (!res.text.includes(message)) problems.push(`${what}: not “${message}”`);
			const found = await judge(res, enhanced);
			if (found) problems.push(`${what}: ${found}`);
		}
	}
	expect(problems, problems.join('\n')).toEqual([]);
});

test('pages, exports and link pages: hostile query strings and path tokens never get a 5xx', async ({
	baseURL
}) => {
	test.setTimeout(300_000);
	await freshWorld(baseURL ?? '');
	baseline = await a.captain.digest();
	const getRows = ROWS.filter(
		(r) =>
			r.rule.access !== 'testHook' &&
			(r.kind === 'load' || (r.kind === 'endpoint' && r.name === 'GET'))
	);
	const queryNames = [
		'userId',
		'session',
		'screen',
		'filter',
		'by',
		'code',
		'ticket',
		'redirectTo'
	];
	const problems: string[] = [];
	for (const row of getRows.filter((r) => !ONLY || ONLY.test(r.id))) {
		const isToken = row.path.includes('[token]');
		// The contact link's limiter is per address and shared with the rest of the suite.
		const runs = row.path.startsWith('/c/') ? 2 : isToken ? 4 : 3;
		const client = row.rule.access === 'public' ? anonymous! : a.captain;
		const problem = await runProperty(
			row.id,
			fc.asyncProperty(
				fc.dictionary(
					fc.constantFrom(...queryNames),
					valueArb(Object.values(a.world)).filter((v) => v.length < 5000),
					{ maxKeys: 4 }
				),
				valueArb(['x']).filter((v) => v.length > 0 && v.length < 5000),
				async (query, token) => {
					const params = new URLSearchParams();
					for (const [k, v] of Object.entries(query)) params.append(k, v);
					// A lone surrogate cannot be percent-encoded; a browser sends U+FFFD for it.
					const safeToken = encodeURIComponent(token.replace(/[\uD800-\uDFFF]/g, '\uFFFD'));
					const w = { ...a.world, token: isToken ? safeToken : 'x' } as World;
					const res = await client.get(urlOf(row, w, `?${params}`));
					const found = await judge(res, false);
					if (found) throw new Error(found);
				}
			),
			runs
		);
		if (problem) problems.push(problem);
	}
	expect(problems, problems.join('\n\n')).toEqual([]);
});

test('the REST broadcast endpoint (JSON): hostile bodies and keys never get a 5xx', async ({
	baseURL
}) => {
	anonymous ??= await Client.open(baseURL ?? '');
	const visitor = anonymous;
	const problems: string[] = [];
	await fc.assert(
		fc.asyncProperty(
			fc.oneof(
				fc.json(),
				fc.constantFrom(
					'{',
					'[]',
					'null',
					'{"messages":"x"}',
					'{"messages":[{"topic":"team:\'; drop table users; --"}]}',
					`{"messages":[${'{},'.repeat(5000)}{}]}`
				)
			),
			fc.constantFrom(
				undefined,
				'Bearer x',
				"Bearer '; drop table users; --",
				`Bearer ${'a'.repeat(10_000)}`
			),
			async (body, auth) => {
				const res = await visitor.send('/realtime/v1/api/broadcast', {
					method: 'POST',
					body,
					headers: {
						'content-type': 'application/json',
						...(auth ? { authorization: auth, apikey: auth.slice(7) } : {})
					}
				});
				await res.arrayBuffer();
				if (res.status >= 500) problems.push(`${res.status} for ${body.slice(0, 100)}`);
			}
		),
		{ numRuns: 12, seed: SEED }
	);
	expect(problems, problems.join('\n')).toEqual([]);
});

const XSS = {
	img: '<img src=x onerror=window.__xss=1>',
	script: '<script>window.__xss=2</script>',
	svg: '"><svg onload=window.__xss=3>'
};

/** The page's own HTML shows the payload escaped, never as markup. */
async function expectEscaped(client: Client, path: string, payloads: string[]) {
	const res = await client.get(path);
	expect(res.status, path).toBe(200);
	for (const payload of payloads) {
		expect(res.text, `${path} carries ${payload} as markup`).not.toContain(payload);
	}
	expect(res.text, `${path} shows the escaped payload`).toContain(
		'&lt;img src=x onerror=window.__xss=1>'
	);
}

async function expectInert(page: Page, path: string, visible: string) {
	const dialogs: string[] = [];
	page.on('dialog', (d) => {
		dialogs.push(d.message());
		void d.dismiss();
	});
	await page.goto(path);
	// In the page itself (the header's closed menu also names the signed-in person).
	await expect(page.locator('main').getByText(visible).first()).toBeVisible();
	await hydrated(page);
	expect(
		await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)
	).toBeUndefined();
	expect(await page.locator('img[src="x"], svg[onload]').count()).toBe(0);
	expect(dialogs).toEqual([]);
}

test('HTML stored in names, titles and texts renders inert: escaped in the HTML, no script runs in a browser', async ({
	browser,
	baseURL
}) => {
	test.setTimeout(180_000);
	const origin = baseURL ?? '';
	await freshWorld(origin);
	const captain = a.captain;
	const { teamId, eventId } = a.world;
	const team = `/teams/${teamId}`;
	const event = `${team}/events/${eventId}`;
	const ok = async (res: Promise<Outcome>) => expect((await res).status).toBeLessThan(400);

	await ok(captain.post('/account', 'updateProfile', { displayName: XSS.img }));
	const created = await captain.post('/teams', 'create', {
		name: `${XSS.img}${XSS.script}`,
		description: XSS.svg
	});
	expect(created.status).toBe(303);
	await ok(
		captain.post(
			event,
			'announce',
			{ body: `${XSS.img} ${XSS.script} ${XSS.svg}` },
			{ enhanced: true }
		)
	);
	await ok(
		captain.post(
			`${event}/groups`,
			'create',
			{ name: XSS.img, colour: '#1d4ed8' },
			{ enhanced: true }
		)
	);
	await ok(
		captain.post(
			`${event}/tasks`,
			'create',
			{
				kind: 'other',
				title: XSS.img,
				description: `${XSS.script}${XSS.svg}`,
				place: XSS.svg,
				date: '2030-07-20',
				startTime: '10:00',
				endTime: '11:00',
				capacity: '2'
			},
			{ enhanced: true }
		)
	);
	await ok(
		captain.post(
			`${event}/donations`,
			'record',
			{
				category: 'books',
				description: XSS.img,
				unit: 'x',
				quantity: '1',
				donorName: XSS.script.slice(0, 30)
			},
			{ enhanced: true }
		)
	);
	await ok(
		captain.post(
			`${event}/funding`,
			'addSponsor',
			{ name: XSS.img, thanks: `${XSS.script}${XSS.svg}` },
			{ enhanced: true }
		)
	);
	await ok(
		captain.post(
			`${event}/incidents`,
			'report',
			{ category: 'other', severity: 'low', description: `${XSS.img}${XSS.script}` },
			{ enhanced: true }
		)
	);
	await ok(
		captain.post(
			`${event}/checklist`,
			'add',
			{ title: XSS.img, daysBefore: '1' },
			{ enhanced: true }
		)
	);

	const all = Object.values(XSS);
	for (const path of [
		created.location ?? '',
		team,
		event,
		`${event}/tasks`,
		`${event}/groups`,
		`${event}/donations`,
		`${event}/funding`,
		`${event}/incidents`,
		`${event}/checklist`,
		`${event}/sheet`,
		`${event}/me`,
		'/account'
	]) {
		await expectEscaped(captain, path, all);
	}

	const context = await browser.newContext({ storageState: await captain.storageState() });
	const page = await context.newPage();
	await expectInert(page, created.location ?? '', XSS.img);
	await expectInert(page, event, XSS.img);
	await expectInert(page, `${event}/tasks`, XSS.img);
	await expectInert(page, `${event}/incidents`, XSS.img);
	await context.close();
	expect(origin).not.toBe('');
});
