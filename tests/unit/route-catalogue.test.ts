import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
	assertCovered,
	compareCatalogue,
	fillPath,
	readCatalogue,
	routePath
} from '../e2e/routes-catalogue';
import { fieldNames, ROUTES, type World } from '../e2e/route-table';

let dir: string | undefined;
afterEach(() => {
	if (dir) rmSync(dir, { recursive: true, force: true });
	dir = undefined;
});

function tree(files: Record<string, string>): string {
	dir = mkdtempSync(join(tmpdir(), 'tongxing-routes-'));
	for (const [file, text] of Object.entries(files)) {
		mkdirSync(dirname(join(dir, file)), { recursive: true });
		writeFileSync(join(dir, file), text);
	}
	return dir;
}

const PAGE = `import type { Actions, PageServerLoad } from './$types';
export const load: PageServerLoad = async () => ({});
export const actions: Actions = {
	claim: async () => ({}),
	'withdraw': async () => ({}),
	remove() { return {}; }
};`;

describe('route catalogue', () => {
	it('reads loads, every named action and every endpoint method, route groups left out', () => {
		const root = tree({
			'(app)/teams/[teamId=uuid]/+page.server.ts': PAGE,
			'(app)/teams/[teamId=uuid]/+page.svelte': '<p>page</p>',
			'(app)/teams/[teamId=uuid]/feed.csv/+server.ts': `export const GET = () => new Response('');
				async function post() { return new Response(''); }
				export { post as POST };`,
			'(public)/join/+page.server.ts': `export const actions = { default: async () => ({}) } satisfies Record<string, unknown>;`,
			'lib-like/helper.ts': 'export const load = 1;'
		});
		expect(readCatalogue(root).map((e) => e.id)).toEqual([
			'GET /teams/[teamId=uuid]/feed.csv',
			'POST /teams/[teamId=uuid]/feed.csv',
			'action /join?/default',
			'action /teams/[teamId=uuid]?/claim',
			'action /teams/[teamId=uuid]?/remove',
			'action /teams/[teamId=uuid]?/withdraw',
			'load /teams/[teamId=uuid]'
		]);
	});

	it('a new route or action on disk fails the check, naming it', () => {
		const root = tree({ '(app)/teams/[teamId=uuid]/+page.server.ts': PAGE });
		const table = readCatalogue(root).map((e) => e.id);
		expect(() =>
			assertCovered(
				readCatalogue(root).map((e) => e.id),
				table,
				'the table'
			)
		).not.toThrow();

		// Someone adds an export endpoint and a new action without telling the tests.
		writeFileSync(
			join(root, '(app)/teams/[teamId=uuid]/+page.server.ts'),
			PAGE.replace('claim:', 'archive: async () => ({}),\n\tclaim:')
		);
		mkdirSync(join(root, '(app)/teams/[teamId=uuid]/export.json'));
		writeFileSync(
			join(root, '(app)/teams/[teamId=uuid]/export.json/+server.ts'),
			'export async function GET() { return new Response("{}"); }'
		);
		const onDisk = readCatalogue(root).map((e) => e.id);
		expect(compareCatalogue(onDisk, table)).toEqual({
			missing: ['GET /teams/[teamId=uuid]/export.json', 'action /teams/[teamId=uuid]?/archive'],
			stale: []
		});
		expect(() => assertCovered(onDisk, table, 'the table')).toThrow(
			/missing from the table: GET \/teams\/\[teamId=uuid\]\/export\.json[\s\S]*missing from the table: action \/teams\/\[teamId=uuid\]\?\/archive/
		);
	});

	it('a table entry whose route is gone fails the check too', () => {
		const root = tree({ '(app)/teams/[teamId=uuid]/+page.server.ts': PAGE });
		const table = [...readCatalogue(root).map((e) => e.id), 'action /teams/[teamId=uuid]?/gone'];
		expect(() =>
			assertCovered(
				readCatalogue(root).map((e) => e.id),
				table,
				'the table'
			)
		).toThrow('in the table but no longer on disk: action /teams/[teamId=uuid]?/gone');
	});

	it('refuses what it cannot read rather than missing an action', () => {
		const root = tree({
			'a/+page.server.ts':
				'const base = { x: async () => ({}) };\nexport const actions = { ...base };'
		});
		expect(() => readCatalogue(root)).toThrow(/spread in `actions`/);
		const other = tree({ 'b/+page.server.ts': 'export const actions = makeActions();' });
		expect(() => readCatalogue(other)).toThrow(/must be an object literal/);
	});

	it('maps files to URL patterns and fills them', () => {
		expect(routePath('(app)/teams/[teamId=uuid]/events/new/+page.server.ts')).toBe(
			'/teams/[teamId=uuid]/events/new'
		);
		expect(routePath('+server.ts')).toBe('/');
		expect(
			fillPath('/teams/[teamId=uuid]/events/[eventId=uuid]', { teamId: 't', eventId: 'e' })
		).toBe('/teams/t/events/e');
	});

	it("marks the actions that read the phone outbox's fields", () => {
		const root = tree({
			'q/+page.server.ts': `export const actions = {
				report: async ({ request }) => go(readQueued(await request.formData())),
				other: async () => ({ readQueuedLater: 1 })
			};`
		});
		expect(readCatalogue(root).map((e) => [e.id, e.readsOutbox ?? false])).toEqual([
			['action /q?/other', false],
			['action /q?/report', true]
		]);
	});

	it("every action that reads the outbox's fields lists them in the table, for hostile input", () => {
		const reading = readCatalogue(join(import.meta.dirname, '../../src/routes')).filter(
			(e) => e.readsOutbox
		);
		expect(reading.length).toBeGreaterThanOrEqual(7);
		const world = new Proxy({}, { get: () => 'x' }) as World;
		const lacking = reading
			.filter((e) => {
				const names = fieldNames(ROUTES[e.id], world);
				return !names.includes('outboxKey') || !names.includes('waitedMs');
			})
			.map((e) => e.id);
		expect(lacking).toEqual([]);
	});

	it("the tests' table covers every route and action of src/routes, and nothing else", () => {
		const onDisk = readCatalogue(join(import.meta.dirname, '../../src/routes')).map((e) => e.id);
		expect(onDisk.length).toBeGreaterThan(100);
		expect(() =>
			assertCovered(onDisk, Object.keys(ROUTES), 'tests/e2e/route-table.ts')
		).not.toThrow();
	});
});
