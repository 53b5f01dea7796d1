// `npm run db:migrate`: applies the migrations to DATABASE_URL, or to the embedded data
// folder (refused while a server holds it).
import { resolve } from 'node:path';
import { readEnv } from '../src/lib/server/env';
import { closeDatabase, initDatabase } from '../src/lib/server/db';
import { readMigrations } from '../src/lib/server/db/fs-migrations';
import { SNAPSHOT_DIR } from '../src/lib/server/db/snapshot';

try {
	const env = readEnv();
	const { migrations, bootstrap } = readMigrations();
	const target = env.mode === 'postgres' ? 'PostgreSQL (DATABASE_URL)' : env.dataDir;
	console.log(`Migrating ${target} …`);
	const before = Date.now();
	await initDatabase(env, {
		migrations,
		bootstrap,
		snapshotDir: resolve(SNAPSHOT_DIR),
		log: (line) => console.log(`  ${line}`)
	});
	await closeDatabase();
	console.log(`Up to date (${migrations.length} migrations known, ${Date.now() - before} ms).`);
} catch (err) {
	console.error(err instanceof Error ? err.message : err);
	process.exitCode = 1;
}
