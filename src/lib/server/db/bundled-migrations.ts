// The migrations and the local bootstrap, bundled into the server build so that the
// production server needs no files besides `build/`.
import { parseMigration, type Migration } from './migrate';
import bootstrapSql from '../../../../supabase/local-bootstrap.sql?raw';

const files = import.meta.glob('/supabase/migrations/*.sql', {
	query: '?raw',
	import: 'default',
	eager: true
}) as Record<string, string>;

export const bundledMigrations: Migration[] = Object.entries(files).map(([path, sql]) =>
	parseMigration(path.slice(path.lastIndexOf('/') + 1), sql)
);

export const localBootstrap: string = bootstrapSql;
