// The one place that reads the environment. Kept free of `$app`/`$env` so that scripts
// (db:migrate, demo) and tests can import it as well as the SvelteKit server.
import { dataDirOf } from './db/data-dir.js';

export type DbMode = 'embedded' | 'postgres';
export type RealtimeMode = 'self' | 'supabase';

/** Limits of the self-mode realtime endpoint, per process; a benchmark raises them. */
export interface RealtimeLimits {
	maxConnections: number;
	maxConnectionsPerUser: number;
	maxJoinsPerSecond: number;
	maxChannelsPerConnection: number;
	maxFrameBytes: number;
}

export interface Env {
	mode: DbMode;
	dataDir: string;
	databaseUrl: string | undefined;
	databasePoolMax: number;
	databasePrepare: boolean;
	/** How long a validated session is kept in memory (auth/session-cache.ts); 0: never. */
	sessionCacheMs: number;
	realtime: RealtimeMode;
	publicSupabaseUrl: string | undefined;
	publicSupabaseAnonKey: string | undefined;
	supabaseJwtSecret: string | undefined;
	realtimeLimits: RealtimeLimits;
	/** Supabase mode: at most one message per topic per this many milliseconds (0: no merging). */
	realtimeTopicMaxRateMs: number;
	/** Test-only endpoints (dropping realtime sockets). Never set in production. */
	testHooks: boolean;
	port: number;
	origin: string | undefined;
	/** Days after an event until the community contact's details are erased (PIPL). */
	contactRetentionDays: number;
	/** How long a check-in may wait in a phone's outbox and still be accepted (OFFLINE_CHECKIN_MAX). */
	offlineCheckinMaxMinutes: number;
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

/** A duration: `1s`, `250ms`, or a whole number of milliseconds. */
function duration(name: string, value: string | undefined, fallbackMs: number): number {
	const text = value?.trim();
	if (!text) return fallbackMs;
	const match = /^(\d+(?:\.\d+)?)\s*(ms|s)?$/.exec(text);
	const ms = match ? Number(match[1]) * (match[2] === 's' ? 1000 : 1) : NaN;
	if (!Number.isInteger(ms) || ms > 60_000) {
		throw new ConfigError(
			`${name} must be a duration such as 1s or 500ms (at most 60s), got "${value}"`
		);
	}
	return ms;
}

/** Minutes, written `90`, `90m` or `2h`; between 1 minute and 24 hours. */
function minutes(name: string, value: string | undefined, fallback: number): number {
	if (value === undefined || value.trim() === '') return fallback;
	const match = /^\s*(\d+)\s*(m|h)?\s*$/i.exec(value);
	const n = match ? Number(match[1]) * (match[2]?.toLowerCase() === 'h' ? 60 : 1) : NaN;
	if (!Number.isInteger(n) || n < 1 || n > 24 * 60) {
		throw new ConfigError(`${name} must be minutes (90, 90m) or hours (2h), from 1m to 24h`);
	}
	return n;
}

/**
 * Where hints go, read on each call: `pg_notify` for our own endpoint, `realtime.send` on
 * Supabase. (Kept separate from readEnv so publishing needs no full, validated environment.)
 */
export function realtimeMode(
	source: Record<string, string | undefined> = process.env
): RealtimeMode {
	return source.REALTIME?.trim() === 'supabase' ? 'supabase' : 'self';
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
		dataDir: dataDirOf(source.DATA_DIR),
		databaseUrl,
		databasePoolMax: integer('DATABASE_POOL_MAX', source.DATABASE_POOL_MAX, 10, 1),
		// Supabase's transaction pooler (port 6543) cannot keep prepared statements.
		databasePrepare: source.DATABASE_PREPARE
			? source.DATABASE_PREPARE !== 'false'
			: !(databaseUrl && /:6543\//.test(databaseUrl)),
		sessionCacheMs: integer('SESSION_CACHE_MS', source.SESSION_CACHE_MS, 5_000, 0),
		realtime,
		publicSupabaseUrl: source.PUBLIC_SUPABASE_URL?.trim() || undefined,
		publicSupabaseAnonKey: source.PUBLIC_SUPABASE_ANON_KEY?.trim() || undefined,
		supabaseJwtSecret: source.SUPABASE_JWT_SECRET?.trim() || undefined,
		realtimeLimits: {
			maxConnections: integer(
				'REALTIME_MAX_CONNECTIONS',
				source.REALTIME_MAX_CONNECTIONS,
				10_000,
				1
			),
			maxConnectionsPerUser: integer(
				'REALTIME_MAX_CONNECTIONS_PER_USER',
				source.REALTIME_MAX_CONNECTIONS_PER_USER,
				50,
				1
			),
			maxJoinsPerSecond: integer(
				'REALTIME_MAX_JOINS_PER_SECOND',
				source.REALTIME_MAX_JOINS_PER_SECOND,
				20,
				1
			),
			maxChannelsPerConnection: integer(
				'REALTIME_MAX_CHANNELS_PER_CONNECTION',
				source.REALTIME_MAX_CHANNELS_PER_CONNECTION,
				100,
				1
			),
			// A join frame with a token and presence config is about 1 KB; below that nothing works.
			maxFrameBytes: integer(
				'REALTIME_MAX_FRAME_BYTES',
				source.REALTIME_MAX_FRAME_BYTES,
				65_536,
				1_024
			)
		},
		realtimeTopicMaxRateMs: duration(
			'REALTIME_TOPIC_MAX_RATE',
			source.REALTIME_TOPIC_MAX_RATE,
			1000
		),
		port: integer('PORT', source.PORT, 3000, 0),
		origin: source.ORIGIN?.trim() || undefined,
		contactRetentionDays: integer('CONTACT_RETENTION_DAYS', source.CONTACT_RETENTION_DAYS, 90, 1),
		offlineCheckinMaxMinutes: minutes('OFFLINE_CHECKIN_MAX', source.OFFLINE_CHECKIN_MAX, 120),
		testHooks: source.TONGXING_TEST_HOOKS === '1'
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
