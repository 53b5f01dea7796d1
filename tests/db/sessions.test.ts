import { describe, expect, it } from 'vitest';
import type { Cookies } from '@sveltejs/kit';
import { eq, sql } from 'drizzle-orm';
import { rowsOf } from '../../src/lib/server/db';
import { sessions } from '../../src/lib/server/db/schema';
import {
	SESSION_DURATION_MS,
	createSession,
	deleteSessionCookie,
	endSession,
	invalidateSession,
	invalidateUserSessions,
	readSessionCookie,
	sessionCookieName,
	setSessionCookie,
	validateSessionToken
} from '../../src/lib/server/auth/session';
import { hashToken } from '../../src/lib/server/auth/tokens';
import { makeUser } from '../factories/users';
import { useTestDatabase } from './helpers';

const t = useTestDatabase();
const DAY = 24 * 60 * 60 * 1000;

/** Tables whose rows, read as text, contain `needle` anywhere. */
async function tablesHolding(needle: string): Promise<string[]> {
	const tables = rowsOf<{ name: string }>(
		await t.handle.db.execute(sql`
			select quote_ident(n.nspname) || '.' || quote_ident(c.relname) as name
			from pg_class c join pg_namespace n on n.oid = c.relnamespace
			where c.relkind = 'r'
			  and n.nspname not in ('pg_catalog', 'information_schema')
			  and n.nspname not like 'pg_toast%'`)
	);
	expect(tables.map((r) => r.name)).toContain('public.sessions');
	const holding: string[] = [];
	for (const { name } of tables) {
		const [row] = rowsOf<{ n: number }>(
			await t.handle.db.execute(
				sql`select count(*)::int as n from ${sql.raw(name)} t where strpos(t::text, ${needle}) > 0`
			)
		);
		if (row.n > 0) holding.push(name);
	}
	return holding;
}

async function expiresAtOf(id: string): Promise<Date | undefined> {
	const [row] = await t.handle.db
		.select({ expiresAt: sessions.expiresAt })
		.from(sessions)
		.where(eq(sessions.id, id));
	return row?.expiresAt;
}

describe('sessions', () => {
	it('stores only the SHA-256 of the token, nowhere the token itself', async () => {
		const user = await makeUser();
		const { token, session } = await createSession(user.id);
		expect(token).toMatch(/^[a-z2-7]{32}$/); // 20 random bytes in base32
		expect(session.id).toBe(hashToken(token));
		expect(session.id).toMatch(/^[0-9a-f]{64}$/);
		const stored = await t.handle.db.select().from(sessions);
		expect(stored.map((s) => s.id)).toEqual([session.id]);
		expect(await tablesHolding(token)).toEqual([]);
		expect(await tablesHolding(session.id)).toEqual(['public.sessions']);
	});

	it('gives the user for a valid token and nothing for unknown or malformed ones', async () => {
		const user = await makeUser({ phone: '+86 138 0000 0000' });
		const { token } = await createSession(user.id);
		const result = await validateSessionToken(token);
		expect(result?.user).toEqual({
			id: user.id,
			email: user.email,
			displayName: user.displayName,
			phone: '+86 138 0000 0000'
		});
		expect(result?.renewed).toBe(false);
		expect(await validateSessionToken(token.replace(/.$/, token.endsWith('a') ? 'b' : 'a'))).toBe(
			null
		);
		expect(await validateSessionToken("' or 1=1 --")).toBe(null);
		expect(await validateSessionToken('')).toBe(null);
	});

	it('expires after 30 days and is deleted when found expired', async () => {
		const user = await makeUser();
		const start = new Date('2026-07-01T00:00:00Z');
		const { token, session } = await createSession(user.id, { now: start });
		expect(session.expiresAt.getTime() - start.getTime()).toBe(SESSION_DURATION_MS);
		const justBefore = new Date(start.getTime() + 30 * DAY - 1000);
		expect(await validateSessionToken(token, { now: justBefore })).not.toBe(null);
		// The check above renewed it; move the expiry into the past in the database instead.
		await t.handle.db
			.update(sessions)
			.set({ expiresAt: new Date(Date.now() - 1000) })
			.where(eq(sessions.id, session.id));
		expect(await validateSessionToken(token)).toBe(null);
		expect(await expiresAtOf(session.id)).toBeUndefined();
	});

	it('renews to 30 days when used with under 15 days left, not before', async () => {
		const user = await makeUser();
		const start = new Date('2026-07-01T00:00:00Z');
		const { token, session } = await createSession(user.id, { now: start });

		const day10 = new Date(start.getTime() + 10 * DAY); // 20 days left
		const early = await validateSessionToken(token, { now: day10 });
		expect(early?.renewed).toBe(false);
		expect(await expiresAtOf(session.id)).toEqual(session.expiresAt);

		const day16 = new Date(start.getTime() + 16 * DAY); // 14 days left
		const late = await validateSessionToken(token, { now: day16 });
		expect(late?.renewed).toBe(true);
		expect(late?.session.expiresAt).toEqual(new Date(day16.getTime() + SESSION_DURATION_MS));
		expect(await expiresAtOf(session.id)).toEqual(late?.session.expiresAt);

		// Past the original expiry, the renewed session still works.
		const day35 = new Date(start.getTime() + 35 * DAY);
		expect(await validateSessionToken(token, { now: day35 })).not.toBe(null);
	});

	it('ends one session on sign-out and every other one on request', async () => {
		const user = await makeUser();
		const a = await createSession(user.id);
		const b = await createSession(user.id);
		const c = await createSession(user.id);
		const other = await createSession((await makeUser()).id);

		await invalidateSession(a.session.id);
		expect(await validateSessionToken(a.token)).toBe(null);
		expect(await validateSessionToken(b.token)).not.toBe(null);

		await invalidateUserSessions(user.id, { except: b.session.id });
		expect(await validateSessionToken(b.token)).not.toBe(null);
		expect(await validateSessionToken(c.token)).toBe(null);
		expect(await validateSessionToken(other.token)).not.toBe(null);

		await invalidateUserSessions(user.id);
		expect(await validateSessionToken(b.token)).toBe(null);
		expect(await validateSessionToken(other.token)).not.toBe(null);
	});
});

/** Records what a route would send: enough of SvelteKit's `Cookies` for the helpers. */
function fakeCookies(initial: Record<string, string> = {}) {
	const jar = new Map(Object.entries(initial));
	const calls: { op: 'set' | 'delete'; name: string; value?: string; options: object }[] = [];
	const cookies = {
		get: (name: string) => jar.get(name),
		set: (name: string, value: string, options: object) => {
			jar.set(name, value);
			calls.push({ op: 'set', name, value, options });
		},
		delete: (name: string, options: object) => {
			jar.delete(name);
			calls.push({ op: 'delete', name, options });
		}
	} as unknown as Cookies;
	return { cookies, calls, jar };
}

describe('session cookie', () => {
	it('is `session` over http and `__Host-session` with Secure over https', () => {
		const http = new URL('http://localhost:4173/teams');
		const https = new URL('https://tongxing.example/teams');
		expect(sessionCookieName(http)).toBe('session');
		expect(sessionCookieName(https)).toBe('__Host-session');

		const expires = new Date('2026-08-01T00:00:00Z');
		const plain = fakeCookies();
		setSessionCookie({ cookies: plain.cookies, url: http }, 'tok', expires);
		expect(plain.calls).toEqual([
			{
				op: 'set',
				name: 'session',
				value: 'tok',
				options: { httpOnly: true, sameSite: 'lax', path: '/', secure: false, expires }
			}
		]);
		const secure = fakeCookies();
		setSessionCookie({ cookies: secure.cookies, url: https }, 'tok', expires);
		expect(secure.calls[0]).toMatchObject({
			name: '__Host-session',
			options: { httpOnly: true, sameSite: 'lax', path: '/', secure: true }
		});
		expect(readSessionCookie({ cookies: secure.cookies, url: https })).toBe('tok');
		expect(readSessionCookie({ cookies: secure.cookies, url: http })).toBeUndefined();
		deleteSessionCookie({ cookies: secure.cookies, url: https });
		expect(secure.jar.size).toBe(0);
	});

	it('sign-out ends the session in the database, not only in the browser', async () => {
		const user = await makeUser();
		const { token, session } = await createSession(user.id);
		const url = new URL('http://localhost/');
		const { cookies, jar } = fakeCookies({ session: token });
		await endSession({ cookies, url, locals: { session } });
		expect(jar.has('session')).toBe(false);
		// A copy of the cookie kept elsewhere opens nothing any more.
		expect(await validateSessionToken(token)).toBe(null);
	});
});
