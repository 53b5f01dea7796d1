// The rotating check-in code: like TOTP (RFC 6238), an HMAC of the 30-second window under a
// per-event secret, truncated to six digits. The previous window is still accepted, so a code
// read off the screen just before it turns over still works.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { AttendanceSession } from '../db/schema';

export const CODE_WINDOW_SECONDS = 30;
/** A ticket proves that someone held a valid code; it lets them sign in or up and come back. */
export const TICKET_WINDOWS = 30;

export function windowOf(now: Date): number {
	return Math.floor(now.getTime() / 1000 / CODE_WINDOW_SECONDS);
}

/** When the window of `now` ends: the screen refreshes then. */
export function windowEndsAt(now: Date): Date {
	return new Date((windowOf(now) + 1) * CODE_WINDOW_SECONDS * 1000);
}

function mac(secret: string, message: string): Buffer {
	return createHmac('sha256', secret).update(message).digest();
}

export function codeFor(
	secret: string,
	eventId: string,
	session: AttendanceSession,
	window: number
): string {
	const digest = mac(secret, `code:${eventId}:${session}:${window}`);
	// Dynamic truncation as in RFC 4226.
	const offset = digest[digest.length - 1] & 0x0f;
	const value = digest.readUInt32BE(offset) & 0x7fffffff;
	return String(value % 1_000_000).padStart(6, '0');
}

export function currentCode(
	secret: string,
	eventId: string,
	session: AttendanceSession,
	now: Date
): { code: string; expiresAt: Date } {
	return { code: codeFor(secret, eventId, session, windowOf(now)), expiresAt: windowEndsAt(now) };
}

function same(a: string, b: string): boolean {
	const x = Buffer.from(a);
	const y = Buffer.from(b);
	return x.length === y.length && timingSafeEqual(x, y);
}

/** The code of this window or of the one before. */
export function isCodeValid(
	secret: string,
	eventId: string,
	session: AttendanceSession,
	code: string,
	now: Date
): boolean {
	if (!/^\d{6}$/.test(code)) return false;
	const window = windowOf(now);
	return [window, window - 1].some((w) => same(codeFor(secret, eventId, session, w), code));
}

/**
 * Windows either side of the estimated scanning time a queued code may match: the estimate is
 * the arrival less the wait the phone counted, off by the time the request took and by the
 * previous window still being accepted on screen.
 */
export const OFFLINE_SLACK_WINDOWS = 2;

/**
 * The window whose code this is, searched only near `scannedAt` (the server's estimate of when
 * the phone read it) and never after `now`; null when none matches. Searching a few windows
 * rather than the whole offline limit keeps a guess as unlikely to hit as on line.
 */
export function windowOfCode(
	secret: string,
	eventId: string,
	session: AttendanceSession,
	code: string,
	scannedAt: Date,
	now: Date
): number | null {
	if (!/^\d{6}$/.test(code)) return null;
	const around = windowOf(scannedAt);
	const last = Math.min(around + OFFLINE_SLACK_WINDOWS, windowOf(now));
	for (let w = around - OFFLINE_SLACK_WINDOWS; w <= last; w++) {
		if (same(codeFor(secret, eventId, session, w), code)) return w;
	}
	return null;
}

/** When a window's code stops being shown: the latest moment its holder can have seen it. */
export function windowEnd(window: number): Date {
	return new Date((window + 1) * CODE_WINDOW_SECONDS * 1000);
}

export function makeTicket(
	secret: string,
	eventId: string,
	session: AttendanceSession,
	now: Date
): string {
	const window = windowOf(now);
	const sig = mac(secret, `ticket:${eventId}:${session}:${window}`).toString('base64url');
	return `${session}.${window}.${sig.slice(0, 32)}`;
}

/** The session a ticket is for, or null when it is forged, malformed or too old. */
export function readTicket(
	secret: string,
	eventId: string,
	ticket: string,
	now: Date
): AttendanceSession | null {
	const match = /^(day|meeting)\.(\d{1,12})\.([A-Za-z0-9_-]{32})$/.exec(ticket);
	if (!match) return null;
	const session = match[1] as AttendanceSession;
	const window = Number(match[2]);
	const age = windowOf(now) - window;
	if (age < 0 || age >= TICKET_WINDOWS) return null;
	const expected = mac(secret, `ticket:${eventId}:${session}:${window}`)
		.toString('base64url')
		.slice(0, 32);
	return same(expected, match[3]) ? session : null;
}
