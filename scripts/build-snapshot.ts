// Part of `npm run build` (after vite build, which empties build/): a migrated embedded cluster
// in build/pgdata-snapshot, which a first start on an empty data folder copies instead of
// running PGlite's initdb (src/lib/server/db/snapshot.ts). Without it everything still works,
// only a first start is slower: a failure here warns and does not fail the build.
import { resolve } from 'node:path';
import { readMigrations } from '../src/lib/server/db/fs-migrations';
import { buildSnapshot, SNAPSHOT_DIR } from '../src/lib/server/db/snapshot';

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
