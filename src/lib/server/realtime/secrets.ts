// The self-mode realtime credentials: the anon key (public; the WebSocket's `apikey`), the JWT
// secret that signs user tokens, and a service-role key for server-side REST broadcasts.
// Values from the environment win. Otherwise each is generated once and kept in `app_setting`,
// so every instance on the database, and every restart, uses the same ones.
import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Queryable } from '../db';
import { appSetting } from '../db/schema';
import type { Env } from '../env';
import { isServiceRoleKey, signServiceRoleKey } from './jwt';

export interface RealtimeSecrets {
	anonKey: string;
	jwtSecret: string;
	serviceKey: string;
}

export type SecretsEnv = Pick<Env, 'publicSupabaseAnonKey' | 'supabaseJwtSecret'>;

export const SECRET_SETTINGS = {
	anonKey: 'realtime.anon_key',
	jwtSecret: 'realtime.jwt_secret',
	serviceKey: 'realtime.service_key'
} as const;

async function readSetting(db: Queryable, key: string): Promise<string | undefined> {
	const [row] = await db
		.select({ value: appSetting.value })
		.from(appSetting)
		.where(eq(appSetting.key, key));
	return row?.value;
}

/**
 * Stores `candidate` unless a value is already there, and returns whichever value won: two
 * instances starting together both end up with the first one committed.
 */
async function storeOnce(db: Queryable, key: string, candidate: string): Promise<string> {
	await db
		.insert(appSetting)
		.values({ key, value: candidate })
		.onConflictDoNothing({ target: appSetting.key });
	const value = await readSetting(db, key);
	if (value === undefined) throw new Error(`app_setting ${key} vanished right after insert`);
	return value;
}

/**
 * The stored service key is signed with the JWT secret; when the secret has changed (it was
 * set in the environment after a first start), the old key no longer verifies and is replaced.
 * The conditional update lets only one of several instances replace it.
 */
async function serviceKeyFor(db: Queryable, jwtSecret: string): Promise<string> {
	const stored = await storeOnce(
		db,
		SECRET_SETTINGS.serviceKey,
		await signServiceRoleKey(jwtSecret)
	);
	if (await isServiceRoleKey(stored, jwtSecret)) return stored;
	await db
		.update(appSetting)
		.set({ value: await signServiceRoleKey(jwtSecret) })
		.where(and(eq(appSetting.key, SECRET_SETTINGS.serviceKey), eq(appSetting.value, stored)));
	const current = await readSetting(db, SECRET_SETTINGS.serviceKey);
	if (current === undefined || !(await isServiceRoleKey(current, jwtSecret))) {
		throw new Error('could not store a realtime service key that matches the JWT secret');
	}
	return current;
}

/** Reads (or generates once and stores) the realtime credentials. Self mode only. */
export async function loadRealtimeSecrets(
	db: Queryable,
	env: SecretsEnv
): Promise<RealtimeSecrets> {
	const jwtSecret =
		env.supabaseJwtSecret ??
		(await storeOnce(db, SECRET_SETTINGS.jwtSecret, randomBytes(48).toString('base64url')));
	const anonKey =
		env.publicSupabaseAnonKey ??
		(await storeOnce(db, SECRET_SETTINGS.anonKey, randomBytes(24).toString('base64url')));
	const serviceKey = await serviceKeyFor(db, jwtSecret);
	return { anonKey, jwtSecret, serviceKey };
}
