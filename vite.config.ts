import { sveltekit } from '@sveltejs/kit/vite';
import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { defineConfig } from 'vitest/config';
import { realtimeDevServer } from './vite-realtime-plugin.js';

const hasPostgres = Boolean(process.env.TEST_DATABASE_URL);

export default defineConfig({
	plugins: [
		paraglideVitePlugin({
			project: './project.inlang',
			outdir: './src/lib/paraglide',
			strategy: ['cookie', 'preferredLanguage', 'baseLocale'],
			emitReadme: false
		}),
		sveltekit(),
		realtimeDevServer()
	],
	server: { port: 5173 },
	test: {
		expect: { requireAssertions: true },
		projects: [
			{
				extends: true,
				test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], environment: 'node' }
			},
			{
				extends: true,
				test: {
					name: 'db',
					include: ['tests/db/**/*.test.ts'],
					environment: 'node',
					globalSetup: ['tests/db/global-setup.ts'],
					testTimeout: 30_000,
					hookTimeout: 60_000,
					env: { TEST_DB_DRIVER: 'pglite' }
				}
			},
			// The same database suites on real PostgreSQL; concurrency tests run only here.
			...(hasPostgres || process.env.CI
				? [
						{
							extends: true as const,
							test: {
								name: 'db-pg',
								include: ['tests/db/**/*.test.ts'],
								environment: 'node',
								globalSetup: ['tests/db/global-setup.ts'],
								testTimeout: 30_000,
								hookTimeout: 60_000,
								env: { TEST_DB_DRIVER: 'postgres' }
							}
						}
					]
				: []),
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
