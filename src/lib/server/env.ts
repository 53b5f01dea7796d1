// The one place that reads the environment. Kept free of `$app`/`$env` so that scripts
// (db:migrate, demo) and tests can import it as well as the SvelteKit server.
import { resolve } from 'node:path';

export type DbMode = 'embedded' | 'postgres';
export type RealtimeMode = 'self' | 'supabase';

export interface Env {
	mode: DbMode;
	dataDir: string;
	databaseUrl: string | undefined;
	databasePoolMax: number;
	databasePrepare: boolean;
	realtime: RealtimeMode;
	publicSupabaseUrl: string | undefined;
	publicSupabaseAnonKey: string | undefined;
	supabaseJwtSecret: string | undefined;
	port: number;
	origin: string | undefined;
}

export class ConfigError extends Error {
	override name = 'ConfigError';
}

function integer(name: string, value: string | undefined, fallback: number, min: number): number {
	if (value === undefined || value === '') return fallback;
	const n = Number(value);
	if (!Number.isInteger(n) || n < min) {
		throw new ConfigError(`${name} must be an integer ≥ ${min}, got "${value}"`);
	}
	return n;
}

export function readEnv(source: Record<string, string | undefined> = process.env): Env {
	const databaseUrl = source.DATABASE_URL?.trim() || undefined;
	if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
		throw new ConfigError('DATABASE_URL must start with postgres:// or postgresql://');
	}
	const realtime = (source.REALTIME?.trim() || 'self') as RealtimeMode;
	if (realtime !== 'self' && realtime !== 'supabase') {
		throw new ConfigError(`REALTIME must be "self" or "supabase", got "${source.REALTIME}"`);
	}
	const env: Env = {
		mode: databaseUrl ? 'postgres' : 'embedded',
		dataDir: resolve(source.DATA_DIR?.trim() || './.data'),
		databaseUrl,
		databasePoolMax: integer('DATABASE_POOL_MAX', source.DATABASE_POOL_MAX, 10, 1),
		// Supabase's transaction pooler (port 6543) cannot keep prepared statements.
		databasePrepare: source.DATABASE_PREPARE
			? source.DATABASE_PREPARE !== 'false'
			: !(databaseUrl && /:6543\//.test(databaseUrl)),
		realtime,
		publicSupabaseUrl: source.PUBLIC_SUPABASE_URL?.trim() || undefined,
		publicSupabaseAnonKey: source.PUBLIC_SUPABASE_ANON_KEY?.trim() || undefined,
		supabaseJwtSecret: source.SUPABASE_JWT_SECRET?.trim() || undefined,
		port: integer('PORT', source.PORT, 3000, 0),
		origin: source.ORIGIN?.trim() || undefined
	};
	if (env.realtime === 'supabase') {
		const missing = [
			['DATABASE_URL', env.databaseUrl],
			['PUBLIC_SUPABASE_URL', env.publicSupabaseUrl],
			['PUBLIC_SUPABASE_ANON_KEY', env.publicSupabaseAnonKey],
			['SUPABASE_JWT_SECRET', env.supabaseJwtSecret]
		]
			.filter(([, v]) => !v)
			.map(([k]) => k);
		if (missing.length > 0) {
			throw new ConfigError(`REALTIME=supabase needs ${missing.join(', ')}`);
		}
	}
	return env;
}
