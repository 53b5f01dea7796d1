// Backup and restore for both database modes (`npm run db:backup`, `npm run db:restore`):
// embedded (PGlite) in backup-embedded.ts, PostgreSQL in backup-postgres.ts, what both share in
// backup-files.ts.
export * from './backup-files';
export * from './backup-embedded';
export * from './backup-postgres';
