// The session hook's cache (auth/session-cache.ts) on the real database: a hit needs no query,
// and whatever must end or change a session does so on the next validation, in this process
// and (PostgreSQL) in another one on the same database, told through NOTIFY.
import { afterEach, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { openPostgres, setHandle, type DbHandle, type Unlisten } from '../../src/lib/server/db';
import { sessions } from '../../src/lib/server/db/schema';
import {
	SESSION_DURATION_MS,
	SESSION_RENEW_WITHIN_MS,
	createSession,
	invalidateSession,
	invalidateUserSessions,
	validateSessionCached
} from '../../src/lib/server/auth/session';
import {
	SESSION_CHANNEL,
	SessionCache,
	sessionCacheOf,
	startSessionCache
} from '../../src/lib/server/auth/session-cache';
import * as accounts from '../../src/lib/server/accounts';
import { makeUser } from '../factories/users';
import { isPostgres, useTestDatabase } from './helpers';

const t = useTestDatabase();
const stops: Unlisten[] = [];

afterEach(async () => {
	while (stops.length > 0) await stops.pop()!();
});

async function cached(handle: DbHandle = t.handle, ttlMs = 60_000) {
	stops.push(await startSessionCache(handle, ttlMs));
	return sessionCacheOf(handle.db)!;
}

/** Deletes the row behind the cache's back: only a hit can still answer for it. */
async function deleteRowQuietly(id: string) {
	await t.handle.db.delete(sessions).where(eq(sessions.id, id));
}

describe('the session cache', () => {
	it('answers a repeated validation from memory, until the TTL runs out', async () => {
		const cache = await cached(t.handle, 60_000);
		const user = await makeUser();
		const { token, session } = await createSession(user.id);
		const first = await validateSessionCached(token);
		expect(first?.user.id).toBe(user.id);
		expect(cache.size).toBe(1);

		await deleteRowQuietly(session.id);
		const hit = await validateSessionCached(token);
		expect(hit).toMatchObject({
			renewed: false,
			user: { id: user.id },
			session: { id: session.id }
		});
		// A caller changing its copy does not change the cache.
		hit!.session.expiresAt = new Date(0);
		expect((await validateSessionCached(token))?.session.expiresAt).toEqual(session.expiresAt);

		// Once the TTL has run out the database answers (given a later clock, not a sleep: a
		// busy machine took longer than a short TTL between two lines of this test).
		const later = new Date(Date.now() + 60_001);
		expect(await validateSessionCached(token, { now: later })).toBeNull();
	});

	it('ends a signed-out session on the next validation', async () => {
		await cached();
		const user = await makeUser();
		const { token, session } = await createSession(user.id);
		expect(await validateSessionCached(token)).not.toBeNull();
		await invalidateSession(session.id);
		expect(await validateSessionCached(token)).toBeNull();
	});

	it('ends the other sessions at a password change and keeps the current one', async () => {
		await cached();
		const user = await makeUser({ password: 'a good long password' });
		const phone = await createSession(user.id);
		const laptop = await createSession(user.id);
		expect(await validateSessionCached(phone.token)).not.toBeNull();
		expect(await validateSessionCached(laptop.token)).not.toBeNull();
		await accounts.changePassword(
			{ userId: user.id },
			{ currentPassword: 'a good long password', newPassword: 'another good long password' },
			phone.session.id
		);
		expect(await validateSessionCached(laptop.token)).toBeNull();
		expect((await validateSessionCached(phone.token))?.user.id).toBe(user.id);
	});

	it('shows a changed name on the next validation', async () => {
		await cached();
		const user = await makeUser();
		const { token } = await createSession(user.id);
		await validateSessionCached(token);
		await accounts.updateProfile({ userId: user.id }, { displayName: '新名字' });
		expect((await validateSessionCached(token))?.user.displayName).toBe('新名字');
	});

	it('never serves an expired session, and renews from the database', async () => {
		await cached();
		const user = await makeUser();
		const { token, session } = await createSession(user.id);
		await validateSessionCached(token);
		const afterExpiry = new Date(session.expiresAt.getTime() + 1);
		expect(await validateSessionCached(token, { now: afterExpiry })).toBeNull();
		const [row] = await t.handle.db.select().from(sessions).where(eq(sessions.id, session.id));
		expect(row).toBeUndefined();

		const other = await createSession(user.id);
		await validateSessionCached(other.token);
		const inRenewal = new Date(
			other.session.expiresAt.getTime() - SESSION_RENEW_WITHIN_MS + 60_000
		);
		const renewed = await validateSessionCached(other.token, { now: inRenewal });
		expect(renewed?.renewed).toBe(true);
		expect(renewed?.session.expiresAt.getTime()).toBe(inRenewal.getTime() + SESSION_DURATION_MS);
	});

	it('does not store a validation that raced an invalidation', () => {
		const cache = new SessionCache(60_000);
		const value = {
			session: { id: 'a', userId: 'u', expiresAt: new Date(Date.now() + SESSION_DURATION_MS) },
			user: { id: 'u', email: 'u@example.test', displayName: 'U', phone: null }
		};
		const generation = cache.generation;
		cache.forget('s:a');
		cache.set(value, generation, Date.now());
		expect(cache.get('a', Date.now())).toBeUndefined();
		cache.set(value, cache.generation, Date.now());
		expect(cache.get('a', Date.now())?.user.id).toBe('u');
		cache.forget('u:u');
		expect(cache.get('a', Date.now())).toBeUndefined();
	});

	it.runIf(isPostgres)(
		'another instance on the same database drops the session when this one signs it out',
		async () => {
			const other = openPostgres(t.url, { max: 2 });
			try {
				const otherCache = await cached(other);
				const user = await makeUser();
				const { token, session } = await createSession(user.id);
				// Validated on the other instance: cached there.
				setHandle(other);
				expect(await validateSessionCached(token)).not.toBeNull();
				expect(otherCache.size).toBe(1);
				setHandle(t.handle);

				// Signed out here: the other instance hears it through NOTIFY.
				await invalidateSession(session.id);
				await expect.poll(() => otherCache.size, { timeout: 2_000 }).toBe(0);
				setHandle(other);
				expect(await validateSessionCached(token)).toBeNull();
			} finally {
				setHandle(t.handle);
				while (stops.length > 0) await stops.pop()!();
				await other.close();
			}
		}
	);

	it('empties itself on a message it cannot place, and the channel carries no token', async () => {
		const cache = await cached();
		const user = await makeUser();
		const { token } = await createSession(user.id);
		await validateSessionCached(token);
		expect(cache.size).toBe(1);
		await t.handle.db.execute(sql`select pg_notify(${SESSION_CHANNEL}, '*')`);
		await expect.poll(() => cache.size, { timeout: 2_000 }).toBe(0);
	});
});

describe('without a cache', () => {
	it('validates against the database every time', async () => {
		const user = await makeUser();
		const { token, session } = await createSession(user.id);
		expect(sessionCacheOf(t.handle.db)).toBeUndefined();
		expect(await validateSessionCached(token)).not.toBeNull();
		await deleteRowQuietly(session.id);
		expect(await validateSessionCached(token)).toBeNull();
	});

	it('still ends every session of a user', async () => {
		const user = await makeUser();
		const a = await createSession(user.id);
		await invalidateUserSessions(user.id);
		expect(await validateSessionCached(a.token)).toBeNull();
	});
});
