// The same migrations read from disk, for scripts run outside Vite (db:migrate, demo).
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseMigration, type Migration } from './migrate';

export function readMigrations(root = process.cwd()): {
	migrations: Migration[];
	bootstrap: string;
} {
	const dir = resolve(root, 'supabase/migrations');
	const migrations = readdirSync(dir)
		.filter((f) => f.endsWith('.sql'))
		.map((f) => parseMigration(f, readFileSync(join(dir, f), 'utf8')));
	const bootstrap = readFileSync(resolve(root, 'supabase/local-bootstrap.sql'), 'utf8');
	return { migrations, bootstrap };
}
