// The realtime credentials: generated once, kept in app_setting, the same for every instance.
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { openPostgres } from '../../src/lib/server/db';
import { appSetting } from '../../src/lib/server/db/schema';
import { readEnv } from '../../src/lib/server/env';
import {
	getAnonKey,
	mintRealtimeToken,
	startRealtime,
	stopRealtime
} from '../../src/lib/server/realtime';
import { isServiceRoleKey, verifyRealtimeToken } from '../../src/lib/server/realtime/jwt';
import { SECRET_SETTINGS, loadRealtimeSecrets } from '../../src/lib/server/realtime/secrets';
import { isPostgres, useTestDatabase } from './helpers';

const t = useTestDatabase();
const noEnv = { publicSupabaseAnonKey: undefined, supabaseJwtSecret: undefined };

afterEach(async () => {
	await stopRealtime();
	await t.handle.db.delete(appSetting);
});

describe('loadRealtimeSecrets', () => {
	it('generates the secrets once and keeps them', async () => {
		const first = await loadRealtimeSecrets(t.handle.db, noEnv);
		expect(first.jwtSecret.length).toBeGreaterThanOrEqual(32);
		expect(first.anonKey).not.toBe(first.jwtSecret);
		expect(await isServiceRoleKey(first.serviceKey, first.jwtSecret)).toBe(true);
		// The anon key must never pass as the service credential.
		expect(await isServiceRoleKey(first.anonKey, first.jwtSecret)).toBe(false);
		expect(await loadRealtimeSecrets(t.handle.db, noEnv)).toEqual(first);
	});

	it('takes the anon key and secret from the environment and stores neither', async () => {
		const env = { publicSupabaseAnonKey: 'anon-from-env', supabaseJwtSecret: 'x'.repeat(40) };
		const secrets = await loadRealtimeSecrets(t.handle.db, env);
		expect(secrets).toMatchObject({ anonKey: 'anon-from-env', jwtSecret: 'x'.repeat(40) });
		expect(await isServiceRoleKey(secrets.serviceKey, env.supabaseJwtSecret)).toBe(true);
		const stored = await t.handle.db.select({ key: appSetting.key }).from(appSetting);
		expect(stored.map((r) => r.key)).toEqual([SECRET_SETTINGS.serviceKey]);
	});

	it('replaces a stored service key that the current secret no longer verifies', async () => {
		const before = await loadRealtimeSecrets(t.handle.db, noEnv);
		const rotated = { ...noEnv, supabaseJwtSecret: randomBytes(32).toString('hex') };
		const after = await loadRealtimeSecrets(t.handle.db, rotated);
		expect(after.serviceKey).not.toBe(before.serviceKey);
		expect(await isServiceRoleKey(after.serviceKey, rotated.supabaseJwtSecret)).toBe(true);
		const [row] = await t.handle.db
			.select({ value: appSetting.value })
			.from(appSetting)
			.where(eq(appSetting.key, SECRET_SETTINGS.serviceKey));
		expect(row.value).toBe(after.serviceKey);
	});

	it.runIf(isPostgres)('agrees across two handles starting at once on one database', async () => {
		const handles = [openPostgres(t.url, { max: 2 }), openPostgres(t.url, { max: 2 })];
		try {
			const [a, b] = await Promise.all(handles.map((h) => loadRealtimeSecrets(h.db, noEnv)));
			expect(a).toEqual(b);
			expect(await loadRealtimeSecrets(t.handle.db, noEnv)).toEqual(a);
		} finally {
			await Promise.all(handles.map((h) => h.close()));
		}
	});
});

describe('the process hub’s secrets', () => {
	it('are the stored ones, the same after a restart, and sign tokens of 10 minutes', async () => {
		const env = { env: readEnv({}), log: () => {} };
		const first = await startRealtime(t.handle, env);
		expect(await getAnonKey()).toBe(first.secrets.anonKey);
		await stopRealtime();
		const second = await startRealtime(t.handle, env);
		expect(second).not.toBe(first);
		expect(second.secrets).toEqual(first.secrets);

		const before = Date.now();
		const { token, expiresAt } = await mintRealtimeToken('3f1c2a64-5d1e-4b8a-9c0e-2f7a6b5d4c3e');
		expect(expiresAt - before).toBeLessThanOrEqual(600_000);
		expect(expiresAt - before).toBeGreaterThan(590_000);
		const verified = await verifyRealtimeToken(token, second.secrets.jwtSecret);
		expect(verified).toMatchObject({
			ok: true,
			claims: { sub: '3f1c2a64-5d1e-4b8a-9c0e-2f7a6b5d4c3e', role: 'authenticated' }
		});
	});
});
