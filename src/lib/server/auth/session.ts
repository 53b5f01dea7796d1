// Sessions after Lucia's recipe: the cookie holds a random token; the database holds only its
// SHA-256 as the session id, so a leaked sessions table lets nobody in. Expiry slides: a
// session used within its last 15 days is pushed back to 30 days.
import type { Cookies } from '@sveltejs/kit';
import { and, eq, ne, sql } from 'drizzle-orm';
import { getDb, type Queryable } from '../db';
import { sessions, users } from '../db/schema';
import { prepared } from '../db/reuse-built-queries';
import { hostCookieName, hostCookieOptions } from './cookies';
import { generateToken, hashToken, isWellFormedToken } from './tokens';
import { SESSION_CHANNEL, forgetLocally, sessionCacheOf } from './session-cache';

const DAY_MS = 24 * 60 * 60 * 1000;
export const SESSION_DURATION_MS = 30 * DAY_MS;
export const SESSION_RENEW_WITHIN_MS = 15 * DAY_MS;

export interface Session {
	/** Hex SHA-256 of the token; never the token itself. */
	id: string;
	userId: string;
	expiresAt: Date;
}

/** What the app knows of the signed-in person on every request (`locals.user`). */
export interface SessionUser {
	id: string;
	email: string;
	displayName: string;
	phone: string | null;
}

export interface ValidSession {
	session: Session;
	user: SessionUser;
	/** True when this validation pushed `expiresAt` back: the cookie must be sent again. */
	renewed: boolean;
}

export interface SessionOptions {
	now?: Date;
	/** A transaction to run in; the process-wide database otherwise. */
	db?: Queryable;
}

export function generateSessionToken(): string {
	return generateToken(20);
}

export async function createSession(
	userId: string,
	{ now = new Date(), db = getDb() }: SessionOptions = {}
): Promise<{ token: string; session: Session }> {
	const token = generateSessionToken();
	const session: Session = {
		id: hashToken(token),
		userId,
		expiresAt: new Date(now.getTime() + SESSION_DURATION_MS)
	};
	await db.insert(sessions).values(session);
	return { token, session };
}

// Runs on every request: built once per database.
const sessionById = prepared((db) =>
	db
		.select({
			session: { id: sessions.id, userId: sessions.userId, expiresAt: sessions.expiresAt },
			user: {
				id: users.id,
				email: users.email,
				displayName: users.displayName,
				phone: users.phone
			}
		})
		.from(sessions)
		.innerJoin(users, eq(users.id, sessions.userId))
		.where(eq(sessions.id, sql.placeholder('id')))
		.limit(1)
		.prepare('session_by_id')
);

export async function validateSessionToken(
	token: string,
	{ now = new Date(), db = getDb() }: SessionOptions = {}
): Promise<ValidSession | null> {
	if (!isWellFormedToken(token)) return null;
	return validateSessionId(hashToken(token), now, db);
}

/**
 * What the session hook runs on every request: `validateSessionToken` through the process's
 * short-lived session cache (session-cache.ts) when one is running for the database.
 */
export async function validateSessionCached(
	token: string,
	{ now = new Date() }: { now?: Date } = {}
): Promise<ValidSession | null> {
	const db = getDb();
	const cache = sessionCacheOf(db);
	if (!cache) return validateSessionToken(token, { now, db });
	if (!isWellFormedToken(token)) return null;
	const id = hashToken(token);
	const at = now.getTime();
	const hit = cache.get(id, at);
	if (hit && hit.session.expiresAt.getTime() - at >= SESSION_RENEW_WITHIN_MS) {
		return { ...hit, renewed: false };
	}
	const generation = cache.generation;
	const result = await validateSessionId(id, now, db);
	if (result) cache.set(result, generation, Date.now());
	return result;
}

async function validateSessionId(
	id: string,
	now: Date,
	db: Queryable
): Promise<ValidSession | null> {
	const [row] = await sessionById(db).execute({ id });
	if (!row) return null;
	const { session, user } = row;
	if (now.getTime() >= session.expiresAt.getTime()) {
		await db.delete(sessions).where(eq(sessions.id, id));
		return null;
	}
	let renewed = false;
	if (session.expiresAt.getTime() - now.getTime() < SESSION_RENEW_WITHIN_MS) {
		session.expiresAt = new Date(now.getTime() + SESSION_DURATION_MS);
		await db.update(sessions).set({ expiresAt: session.expiresAt }).where(eq(sessions.id, id));
		renewed = true;
	}
	return { session, user, renewed };
}

export async function invalidateSession(
	sessionId: string,
	{ db = getDb() }: SessionOptions = {}
): Promise<void> {
	await db.delete(sessions).where(eq(sessions.id, sessionId));
	await announceSessionChange(db, `s:${sessionId}`);
}

/** Ends every session of a user, optionally keeping the one in use (after a password change). */
export async function invalidateUserSessions(
	userId: string,
	{ except, db = getDb() }: SessionOptions & { except?: string } = {}
): Promise<void> {
	await db
		.delete(sessions)
		.where(
			except
				? and(eq(sessions.userId, userId), ne(sessions.id, except))
				: eq(sessions.userId, userId)
		);
	await announceSessionChange(db, `u:${userId}`);
}

/**
 * Call inside the transaction that changes what `locals.user` holds (name, phone, email): every
 * instance's session cache reads the user again on their next request.
 */
export async function sessionUserChanged(db: Queryable, userId: string): Promise<void> {
	await announceSessionChange(db, `u:${userId}`);
}

/** Every instance's session cache forgets `payload` (session-cache.ts) once `db` commits. */
async function announceSessionChange(db: Queryable, payload: string): Promise<void> {
	forgetLocally(payload);
	await db.execute(sql`select pg_notify(${SESSION_CHANNEL}, ${payload})`);
	forgetLocally(payload);
}

// Cookies. `__Host-` makes the browser insist on Secure, Path=/ and no Domain, so a sibling
// subdomain cannot plant or shadow the cookie; it is only possible over https.

interface CookieEvent {
	cookies: Cookies;
	url: URL;
}

export function sessionCookieName(url: URL): string {
	return hostCookieName(url, 'session');
}

export function readSessionCookie(event: CookieEvent): string | undefined {
	return event.cookies.get(sessionCookieName(event.url));
}

export function setSessionCookie(event: CookieEvent, token: string, expiresAt: Date): void {
	event.cookies.set(sessionCookieName(event.url), token, hostCookieOptions(event.url, expiresAt));
}

export function deleteSessionCookie(event: CookieEvent): void {
	event.cookies.delete(sessionCookieName(event.url), hostCookieOptions(event.url));
}

interface SessionEvent extends CookieEvent {
	locals: { session: Session | null };
}

/** Signs the browser in as `userId` with a new session; the one it held before ends. */
export async function startSession(event: SessionEvent, userId: string): Promise<Session> {
	if (event.locals.session) await invalidateSession(event.locals.session.id);
	const { token, session } = await createSession(userId);
	setSessionCookie(event, token, session.expiresAt);
	return session;
}

/** Signs the browser out: the session ends in the database, not only in the cookie. */
export async function endSession(event: SessionEvent): Promise<void> {
	if (event.locals.session) await invalidateSession(event.locals.session.id);
	deleteSessionCookie(event);
}
