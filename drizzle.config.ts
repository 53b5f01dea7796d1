import { defineConfig } from 'drizzle-kit';

// Offline: `drizzle-kit generate` needs no database. The `supabase` prefix names migrations
// `<14-digit UTC timestamp>_<name>.sql`, the form the Supabase CLI applies and records.
export default defineConfig({
	dialect: 'postgresql',
	schema: './src/lib/server/db/schema/index.ts',
	out: './supabase/migrations',
	migrations: { prefix: 'supabase' },
	strict: true,
	verbose: true
});
