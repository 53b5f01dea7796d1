import { expect, test } from '@playwright/test';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';

// The browser gets no zod (~23.6 KB gzip): pages take their constants from $lib/*-kinds.ts, and
// only the server validates with $lib/schemas/*. It reads the build that Playwright runs against
// (`npm test` and `npm run test:e2e` build first), so it needs no page.
const CLIENT_DIR = 'build/client';
// The name zod gives the base class of every schema; minifiers keep string literals.
const ZOD_MARKER = '$ZodType';

function filesUnder(dir: string, ending: string): string[] {
	return readdirSync(dir, { recursive: true, encoding: 'utf8' })
		.filter((name) => name.endsWith(ending))
		.map((name) => join(dir, name));
}

test('zod marks its schemas with the name the check looks for', () => {
	// If a zod upgrade renamed it, the check below would pass while zod shipped.
	const core = dirname(createRequire(import.meta.url).resolve('zod/v4/core'));
	const sources = filesUnder(core, '.js').map((file) => readFileSync(file, 'utf8'));
	expect(sources.some((source) => source.includes(`"${ZOD_MARKER}"`))).toBe(true);
});

test('no client chunk contains zod', () => {
	const chunks = filesUnder(CLIENT_DIR, '.js');
	expect(chunks.length, `no JavaScript under ${CLIENT_DIR}: build first`).toBeGreaterThan(10);
	const withZod = chunks
		.filter((file) => readFileSync(file, 'utf8').includes(ZOD_MARKER))
		.map((file) => relative(CLIENT_DIR, file));
	expect(withZod, 'a page imports $lib/schemas/* (use $lib/*-kinds.ts)').toEqual([]);
});
