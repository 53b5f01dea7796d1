// Device cookies (OWASP, "Slow down online guessing attacks with device cookies"): each
// successful sign-in gives the browser a signed cookie naming the account and a random device
// id. A browser that shows a valid one for the account it signs in to is trusted: it is not
// held by the account's or the address's throttle (so an attacker cannot lock the owner out),
// only by a small limit of its own. Stateless: the HMAC is checked with a secret generated
// once per database (kept in `app_setting`, so every instance shares it).
//
// The HMAC also covers the account's password hash as it is when the cookie is made: a new
// password (changed, or set through a reset link) changes the hash, and every device cookie
// made before it stops counting. Whoever changes a password because someone else knew it
// takes that person's way past the throttle away too, with no table of devices to keep.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { UUID_PATTERN } from '$lib/schemas/common';
import { getDb, type Queryable } from '../db';
import { appSetting, users } from '../db/schema';
import { hostCookieName, hostCookieOptions, type CookieEvent } from './cookies';

const SECRET_SETTING = 'auth.device_cookie_secret';
export const DEVICE_COOKIE_DAYS = 180;
const DEVICE_TTL_MS = DEVICE_COOKIE_DAYS * 24 * 60 * 60 * 1000;

// One secret per database handle, read once (databases of tests come and go in one process).
const secrets = new WeakMap<object, Promise<Buffer>>();

async function readSecret(db: Queryable): Promise<Buffer> {
	await db
		.insert(appSetting)
		.values({ key: SECRET_SETTING, value: randomBytes(32).toString('base64url') })
		.onConflictDoNothing({ target: appSetting.key });
	const [row] = await db
		.select({ value: appSetting.value })
		.from(appSetting)
		.where(eq(appSetting.key, SECRET_SETTING));
	if (!row) throw new Error(`app_setting ${SECRET_SETTING} vanished right after insert`);
	return Buffer.from(row.value, 'base64url');
}

function deviceSecret(db: Queryable): Promise<Buffer> {
	let secret = secrets.get(db);
	if (!secret) {
		secret = readSecret(db);
		void secret.catch(() => secrets.delete(db));
		secrets.set(db, secret);
	}
	return secret;
}

const sign = (secret: Buffer, payload: string, passwordHash: string) =>
	createHmac('sha256', secret).update(`device-cookie|${payload}|${passwordHash}`).digest();

/** The account's password hash now, or null for no such account. */
async function passwordHashOf(db: Queryable, userId: string): Promise<string | null> {
	const [row] = await db
		.select({ passwordHash: users.passwordHash })
		.from(users)
		.where(and(eq(users.id, userId), isNull(users.deletedAt)))
		.limit(1);
	return row ? row.passwordHash : null;
}

export interface DeviceToken {
	token: string;
	expiresAt: Date;
}

/** A new device cookie value for `userId`: `<user id>.<device id>.<expiry s>.<HMAC>`. */
export async function issueDeviceToken(
	userId: string,
	{ now = new Date(), db = getDb() }: { now?: Date; db?: Queryable } = {}
): Promise<DeviceToken> {
	const expiresAt = new Date(now.getTime() + DEVICE_TTL_MS);
	const payload = `${userId}.${randomBytes(16).toString('base64url')}.${Math.floor(expiresAt.getTime() / 1000)}`;
	const [secret, passwordHash] = await Promise.all([deviceSecret(db), passwordHashOf(db, userId)]);
	if (passwordHash === null) throw new Error('a device cookie for an account that does not exist');
	const mac = sign(secret, payload, passwordHash).toString('base64url');
	return { token: `${payload}.${mac}`, expiresAt };
}

export interface Device {
	userId: string;
	/** The random id of this browser's cookie; the key of its own limit. */
	deviceId: string;
}

/**
 * The account and device a cookie value names, or null unless it is well signed, current, and
 * made since the account's password last changed.
 */
export async function readDeviceToken(
	token: string | undefined,
	{ now = new Date(), db = getDb() }: { now?: Date; db?: Queryable } = {}
): Promise<Device | null> {
	if (!token || token.length > 200) return null;
	const parts = token.split('.');
	if (parts.length !== 4) return null;
	const [userId, deviceId, expires, mac] = parts;
	if (!UUID_PATTERN.test(userId)) return null;
	if (!/^\d+$/.test(expires) || Number(expires) * 1000 <= now.getTime()) return null;
	const [secret, passwordHash] = await Promise.all([deviceSecret(db), passwordHashOf(db, userId)]);
	if (passwordHash === null) return null;
	const expected = sign(secret, `${userId}.${deviceId}.${expires}`, passwordHash);
	const given = Buffer.from(mac, 'base64url');
	if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
	return { userId, deviceId };
}

/** `__Host-` over https, like the session cookie. */
export function deviceCookieName(url: URL): string {
	return hostCookieName(url, 'device');
}

export function readDeviceCookie(event: CookieEvent): string | undefined {
	return event.cookies.get(deviceCookieName(event.url));
}

/** Gives the browser a fresh device cookie for `userId` (at each successful sign-in). */
export async function setDeviceCookie(event: CookieEvent, userId: string): Promise<void> {
	const { token, expiresAt } = await issueDeviceToken(userId);
	event.cookies.set(deviceCookieName(event.url), token, hostCookieOptions(event.url, expiresAt));
}
