// Part of `npm run build` (after vite build, which empties build/): embedded mode's database
// worker script, then a migrated embedded cluster in build/pgdata-snapshot, which a first start
// on an empty data folder copies instead of running PGlite's initdb
// (src/lib/server/db/snapshot.ts). Without the snapshot everything still works, only a first
// start is slower: a failure there warns and does not fail the build.
import { copyFileSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { readMigrations } from '../src/lib/server/db/fs-migrations';
import { buildSnapshot, SNAPSHOT_DIR } from '../src/lib/server/db/snapshot';
import { WORKER_BUILD_FILE } from '../src/lib/server/db/pglite-thread';

// Embedded mode's PGlite worker (src/lib/server/db/pglite-worker.js), which the server's bundle
// does not carry: without it embedded mode cannot start, so a failure here fails the build.
copyFileSync(resolve('src/lib/server/db/pglite-worker.js'), resolve(WORKER_BUILD_FILE));
console.log(`Embedded database worker: ${WORKER_BUILD_FILE}`);
// server.js opens an existing data folder with these while the bundle loads (early-open.js).
mkdirSync(resolve('build/db'), { recursive: true });
for (const file of ['early-open.js', 'lock.js', 'data-dir.js']) {
	copyFileSync(resolve('src/lib/server/db', file), resolve('build/db', file));
}

const started = Date.now();
try {
	const { migrations, bootstrap } = readMigrations();
	const manifest = await buildSnapshot(resolve(SNAPSHOT_DIR), migrations, bootstrap);
	console.log(
		`Embedded snapshot: ${SNAPSHOT_DIR} (PGlite ${manifest.pglite}, ` +
			`${Object.keys(manifest.migrations).length} migrations, ${Date.now() - started} ms)`
	);
} catch (err) {
	console.warn(
		`Warning: no embedded snapshot (${err instanceof Error ? err.message : String(err)}); ` +
			'a first start on an empty data folder will run initdb instead.'
	);
}
