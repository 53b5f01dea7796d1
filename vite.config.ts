import { sveltekit } from '@sveltejs/kit/vite';
import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { realtimeDevServer } from './vite-realtime-plugin.js';

// With PostgreSQL (TEST_DATABASE_URL, always in CI) every database suite runs on it, and on
// PGlite only the embedded-only suites in full plus each other file's first test as a smoke;
// without it every suite runs on PGlite (tests/README.md says what runs where and why).
const hasPostgres = Boolean(process.env.TEST_DATABASE_URL) || Boolean(process.env.CI);
const DB_SUITES = 'tests/db/**/*.test.ts';
/** What only the embedded mode has: migrations at start, snapshot, backup, data-folder lock, the database thread and its early open. */
const EMBEDDED_ONLY = [
	'tests/db/migrate.test.ts',
	'tests/db/snapshot.test.ts',
	'tests/db/backup.test.ts',
	'tests/db/embedded.test.ts',
	'tests/db/pglite-thread.test.ts',
	'tests/db/early-open.test.ts'
];
const dbProject = (name: string, driver: 'pglite' | 'postgres', more: object = {}) => ({
	extends: true as const,
	test: {
		name,
		environment: 'node' as const,
		globalSetup: ['tests/db/global-setup.ts'],
		testTimeout: 30_000,
		hookTimeout: 60_000,
		env: { TEST_DB_DRIVER: driver },
		...more
	}
});

// `npm run i18n` compiles the messages before every build, check and test run (skipping an
// unchanged catalogue); Paraglide's plugin is only for `vite dev`, which recompiles on edits.
// In a build or a Vitest run it would compile again, clearing the folder first: `npm test` runs
// the build beside Vitest (scripts/test.js), and one must not empty what the other reads.
const devServer = process.argv.includes('dev') && !process.env.VITEST;

export default defineConfig({
	plugins: [
		...(devServer
			? [
					paraglideVitePlugin({
						project: './project.inlang',
						outdir: './src/lib/paraglide',
						strategy: ['cookie', 'preferredLanguage', 'baseLocale'],
						emitReadme: false
					})
				]
			: []),
		sveltekit(),
		realtimeDevServer()
	],
	server: { port: 5173 },
	test: {
		expect: { requireAssertions: true },
		// The database files spend much of their time waiting on PostgreSQL: on two cores four
		// workers finish sooner than two (the default is one per core).
		maxWorkers: Math.max(4, availableParallelism()),
		setupFiles: ['tests/support/count-assertions.ts'],
		projects: [
			{
				extends: true,
				test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], environment: 'node' }
			},
			...(hasPostgres
				? [
						dbProject('db', 'pglite', { include: EMBEDDED_ONLY }),
						dbProject('db-smoke', 'pglite', {
							include: [DB_SUITES],
							exclude: EMBEDDED_ONLY,
							setupFiles: ['tests/db/smoke.ts'],
							// One module graph and one PGlite per worker (tests/db/helpers.ts).
							isolate: false,
							env: { TEST_DB_DRIVER: 'pglite', TEST_PGLITE_SHARED: '1' }
						}),
						// Concurrency tests run only here. Files share a worker's module graph:
						// importing the server's modules again per file cost ~1 s each.
						dbProject('db-pg', 'postgres', { include: [DB_SUITES], isolate: false })
					]
				: [dbProject('db', 'pglite', { include: [DB_SUITES] })]),
			{
				extends: true,
				test: {
					name: 'realtime',
					include: ['tests/realtime/**/*.test.ts'],
					environment: 'node',
					testTimeout: 20_000
				}
			}
		]
	}
});
