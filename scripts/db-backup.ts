// `npm run db:backup [-- <file>]`: a backup of the embedded data folder (a PGlite tarball;
// refused while a server holds the folder) or of DATABASE_URL (pg_dump, custom format).
import { readEnv } from '../src/lib/server/env';
import {
	BackupError,
	backupEmbedded,
	backupPostgres,
	defaultBackupFile,
	totalRows
} from '../src/lib/server/db/backup';

const USAGE = 'Usage: npm run db:backup [-- <file>]';

try {
	const args = process.argv.slice(2);
	if (args.some((a) => a === '-h' || a === '--help')) {
		console.log(USAGE);
		process.exit(0);
	}
	if (args.length > 1 || args.some((a) => a.startsWith('-'))) throw new BackupError(USAGE);
	const env = readEnv();
	if (env.realtime === 'supabase') {
		throw new BackupError(
			'REALTIME=supabase: use the Supabase project’s own backups (Database → Backups) or ' +
				'`supabase db dump`; this tool backs up the embedded and postgres modes.'
		);
	}
	const file = args[0] ?? defaultBackupFile(env.mode);
	const source = env.mode === 'postgres' ? 'PostgreSQL (DATABASE_URL)' : env.dataDir;
	console.log(`Backing up ${source} → ${file} …`);
	const summary =
		env.mode === 'postgres' && env.databaseUrl
			? await backupPostgres(env.databaseUrl, file)
			: await backupEmbedded(env.dataDir, file);
	console.log(
		`Done in ${summary.ms} ms: ${Object.keys(summary.digest).length} tables, ` +
			`${totalRows(summary.digest)} rows, ${summary.migrations} migrations, ` +
			`${(summary.bytes / 1024).toFixed(0)} KiB.`
	);
	console.log(`Restore with: npm run db:restore -- ${file}`);
} catch (err) {
	console.error(err instanceof BackupError ? err.message : err);
	process.exitCode = 1;
}
