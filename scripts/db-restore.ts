// `npm run db:restore -- <file> [--force | --clean]`: loads a backup made by db:backup into
// the embedded data folder (refused while a server holds it, or when it already holds a
// database, unless --force) or into DATABASE_URL (refused when not empty, unless --clean).
import { readEnv } from '../src/lib/server/env';
import {
	BackupError,
	restoreEmbedded,
	restorePostgres,
	totalRows
} from '../src/lib/server/db/backup';

const USAGE = 'Usage: npm run db:restore -- <file> [--force | --clean]';

try {
	const args = process.argv.slice(2);
	if (args.some((a) => a === '-h' || a === '--help')) {
		console.log(USAGE);
		process.exit(0);
	}
	const flags = args.filter((a) => a.startsWith('-'));
	const files = args.filter((a) => !a.startsWith('-'));
	const unknown = flags.filter((f) => f !== '--force' && f !== '--clean');
	if (files.length !== 1 || unknown.length > 0) throw new BackupError(USAGE);
	const replace = flags.length > 0;
	const env = readEnv();
	if (env.realtime === 'supabase') {
		throw new BackupError(
			'REALTIME=supabase: restore through the Supabase project’s own backups; this tool ' +
				'restores the embedded and postgres modes.'
		);
	}
	const [file] = files;
	const target = env.mode === 'postgres' ? 'PostgreSQL (DATABASE_URL)' : env.dataDir;
	console.log(`Restoring ${file} → ${target} …`);
	const summary =
		env.mode === 'postgres' && env.databaseUrl
			? await restorePostgres(file, env.databaseUrl, { clean: replace })
			: await restoreEmbedded(file, env.dataDir, { force: replace });
	console.log(
		`Done in ${summary.ms} ms: ${Object.keys(summary.digest).length} tables, ` +
			`${totalRows(summary.digest)} rows, ${summary.migrations} migrations.`
	);
	if (summary.previous) {
		console.log(`The data it replaced is kept in ${summary.previous} (delete it when sure).`);
	}
} catch (err) {
	console.error(err instanceof BackupError ? err.message : err);
	process.exitCode = 1;
}
