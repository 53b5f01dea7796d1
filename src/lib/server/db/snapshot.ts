// A migrated embedded cluster made at build time, so that a first start on an empty data folder
// copies it instead of running PGlite's initdb (WebAssembly, about 7 s of CPU: most of a first
// start). `npm run build` writes it to build/pgdata-snapshot/ (scripts/build-snapshot.ts): a
// fresh PGlite cluster with the local bootstrap and every migration applied, nothing else. It
// holds no secret: the realtime keys are generated at each installation's first start, after
// the copy (realtime/secrets.ts). The migration check still runs after the copy and applies
// whatever the snapshot lacks; a snapshot that does not match (another PGlite, a migration
// changed or unknown) is not used, and PGlite runs initdb as before.
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import {
	cpSync,
	existsSync,
	mkdirSync,
	readdirSync,
	readFileSync,
	renameSync,
	rmSync,
	writeFileSync
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { runMigrations, sortMigrations, splitStatements, type Migration } from './migrate';

/** Where `npm run build` puts it, relative to the project folder. */
export const SNAPSHOT_DIR = join('build', 'pgdata-snapshot');
const MANIFEST = 'manifest.json';
const PGDATA = 'pgdata';

export interface SnapshotManifest {
	/** The PGlite that wrote the cluster: a data folder is only for the same PostgreSQL build. */
	pglite: string;
	/** Version → hash of its statements, for every migration applied in the snapshot. */
	migrations: Record<string, string>;
	bootstrap: string;
	createdAt: string;
}

export type SeedResult =
	| { seeded: true; migrations: number }
	| { seeded: false; reason: 'existing' | 'missing' | 'mismatch'; detail?: string };

export function migrationHash(statements: string[]): string {
	return createHash('sha256').update(statements.join('\0')).digest('hex').slice(0, 32);
}

/** The installed PGlite's version, from its package.json (not among its exports). */
export function pgliteVersion(): string {
	const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
	let dir = dirname(entry);
	for (let i = 0; i < 4; i++) {
		const file = join(dir, 'package.json');
		if (existsSync(file)) {
			const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
			if (pkg.name === '@electric-sql/pglite' && pkg.version) return pkg.version;
		}
		dir = dirname(dir);
	}
	throw new Error('cannot find the version of @electric-sql/pglite');
}

/**
 * Makes a snapshot in `target` (replaced whole): initdb, the bootstrap and `migrations`, a clean
 * shutdown, then the manifest. Written beside and renamed, so a failed build leaves none.
 */
export async function buildSnapshot(
	target: string,
	migrations: Migration[],
	bootstrap: string
): Promise<SnapshotManifest> {
	const staging = `${resolve(target)}.building`;
	rmSync(staging, { recursive: true, force: true });
	// PGlite creates only the last folder of its path.
	mkdirSync(staging, { recursive: true });
	const pg = await PGlite.create(join(staging, PGDATA));
	try {
		await runMigrations(
			{
				exec: async (sql) => void (await pg.exec(sql)),
				query: async (sql, params) => (await pg.query(sql, params)).rows as never[]
			},
			migrations,
			{ bootstrap }
		);
	} finally {
		await pg.close();
	}
	const manifest: SnapshotManifest = {
		pglite: pgliteVersion(),
		migrations: Object.fromEntries(
			sortMigrations(migrations).map((m) => [m.version, migrationHash(m.statements)])
		),
		bootstrap: migrationHash(splitStatements(bootstrap)),
		createdAt: new Date().toISOString()
	};
	writeFileSync(join(staging, MANIFEST), JSON.stringify(manifest, null, '\t') + '\n');
	rmSync(target, { recursive: true, force: true });
	renameSync(staging, target);
	return manifest;
}

/** Why `manifest` may not seed a database that `migrations` (the app's own) describe. */
export function snapshotMismatch(
	manifest: SnapshotManifest,
	migrations: Migration[],
	installedPglite: string
): string | undefined {
	if (manifest.pglite !== installedPglite) {
		return `made by PGlite ${manifest.pglite}, ${installedPglite} is installed`;
	}
	const known = new Map(migrations.map((m) => [m.version, migrationHash(m.statements)]));
	for (const [version, hash] of Object.entries(manifest.migrations)) {
		const mine = known.get(version);
		if (mine === undefined) return `holds migration ${version}, which this build does not have`;
		if (mine !== hash) return `migration ${version} has changed since the snapshot was made`;
	}
	return undefined;
}

/**
 * Copies the snapshot into `pgdata` when that folder is missing or empty; never touches a
 * folder that holds anything. The copy is made beside and renamed into place, so a crash in
 * the middle leaves no half cluster. The caller holds the data folder's lock.
 */
export function seedFromSnapshot(
	pgdata: string,
	snapshotDir: string | undefined,
	migrations: Migration[]
): SeedResult {
	if (existsSync(pgdata) && readdirSync(pgdata).length > 0) {
		return { seeded: false, reason: 'existing' };
	}
	if (!snapshotDir || !existsSync(join(snapshotDir, MANIFEST))) {
		return { seeded: false, reason: 'missing' };
	}
	let manifest: SnapshotManifest;
	try {
		manifest = JSON.parse(readFileSync(join(snapshotDir, MANIFEST), 'utf8')) as SnapshotManifest;
	} catch (err) {
		return { seeded: false, reason: 'mismatch', detail: `unreadable manifest: ${String(err)}` };
	}
	const mismatch = snapshotMismatch(manifest, migrations, pgliteVersion());
	if (mismatch) return { seeded: false, reason: 'mismatch', detail: mismatch };
	const staging = `${pgdata}.seeding`;
	rmSync(staging, { recursive: true, force: true });
	cpSync(join(snapshotDir, PGDATA), staging, { recursive: true });
	rmSync(pgdata, { recursive: true, force: true });
	renameSync(staging, pgdata);
	return { seeded: true, migrations: Object.keys(manifest.migrations).length };
}
