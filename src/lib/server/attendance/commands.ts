// Check-in and check-out. One row per person and session (the primary key), so checking in
// twice finds the row already there; every write publishes `attendance` on the event topic,
// with the person's id and the board's new numbers.
import { and, eq, isNull, sql } from 'drizzle-orm';
import { getDb, type Tx } from '../db';
import {
	attendance,
	daySettings,
	groupMembers,
	type AttendanceSession,
	type CheckInMethod
} from '../db/schema';
import { Conflict, Forbidden, Invalid, NotFound } from '../errors';
import { parseInput } from '../validate';
import { hint, lockTopic } from '../realtime/publish';
import * as rateLimit from '../auth/rate-limit';
import { findMembership } from '../teams/queries';
import type { Actor } from '../teams/types';
import type { EventScope } from '../events/scope';
import { idSchema } from '$lib/schemas/common';
import { checkInCodeSchema, daySettingsSchema, sessionSchema } from '$lib/schemas/attendance';
import { isCodeValid, makeTicket, readTicket, windowEnd, windowOfCode } from './code';
import { actedAt, findRepeat, offlineLimitMs, takeKey, type Queued } from '../outbox';
import { requireDayAccess, settingsOf, teamOfEvent, type DayAccess } from './staff';
import { attendanceCounts } from './board';

export interface CheckInResult {
	teamId: string;
	eventId: string;
	session: AttendanceSession;
	checkedInAt: Date;
	/** False when the person was already checked in: nothing changed. */
	isNew: boolean;
}

/** A cancelled event takes no attendance; a finished one still may (late corrections). */
function requireTakesAttendance(access: DayAccess): void {
	if (access.event.status === 'cancelled' || access.event.status === 'draft') {
		throw new Conflict('checkin_error_not_running');
	}
}

/**
 * The board's new numbers go with the hint (the page applies them at once and fetches only this
 * person's row): read under the topic's lock, so they are the numbers at the hint's version.
 * Ids and counts only: the person's id, never a name.
 */
async function publishAttendance(
	tx: Tx,
	event: DayAccess['event'],
	session: AttendanceSession,
	userId: string
): Promise<void> {
	await lockTopic(tx, `event:${event.id}`);
	const counts = await attendanceCounts(tx, event, session);
	await hint(tx, `event:${event.id}`, ['attendance'], [userId], counts);
}

async function record(
	tx: Tx,
	event: DayAccess['event'],
	session: AttendanceSession,
	userId: string,
	by: string | null,
	method: CheckInMethod,
	now: Date
): Promise<{ checkedInAt: Date; isNew: boolean }> {
	// Checked in already: nothing changes. Checked out and back: the check-out is undone, the
	// first arrival time stays.
	const eventId = event.id;
	const [row] = await tx
		.insert(attendance)
		.values({ eventId, session, userId, checkedInAt: now, checkedInBy: by, method })
		.onConflictDoUpdate({
			target: [attendance.eventId, attendance.session, attendance.userId],
			set: { checkedOutAt: null, checkedOutBy: null },
			setWhere: sql`${attendance.checkedOutAt} is not null`
		})
		.returning({ checkedInAt: attendance.checkedInAt, isNew: sql<boolean>`xmax = 0` });
	if (row) {
		await publishAttendance(tx, event, session, userId);
		return { checkedInAt: row.checkedInAt, isNew: row.isNew };
	}
	return attendanceOf(tx, eventId, session, userId);
}

async function attendanceOf(
	tx: Tx,
	eventId: string,
	session: AttendanceSession,
	userId: string
): Promise<{ checkedInAt: Date; isNew: boolean }> {
	const [row] = await tx
		.select({ checkedInAt: attendance.checkedInAt })
		.from(attendance)
		.where(
			and(
				eq(attendance.eventId, eventId),
				eq(attendance.session, session),
				eq(attendance.userId, userId)
			)
		);
	return { checkedInAt: row?.checkedInAt ?? new Date(), isNew: false };
}

/**
 * When a code proves its holder was there, or null when it proves nothing. Sent at once: the
 * code of this window or the one before, recorded now. Queued offline (`waitedMs` > 0): the
 * code must match a window near the moment the phone read it (the arrival less the wait it
 * counted on its own clock) and the wait must be within OFFLINE_CHECKIN_MAX; the time recorded
 * is the end of that code's window, never the phone's clock. A phone that lies about its wait
 * only moves where the code is looked for: it still needs a code that was on the screen.
 */
function provenAt(
	secret: string,
	eventId: string,
	session: AttendanceSession,
	code: string,
	now: Date,
	queued: Queued | undefined
): Date | null {
	if (!queued?.waitedMs) return isCodeValid(secret, eventId, session, code, now) ? now : null;
	const window = windowOfCode(secret, eventId, session, code, actedAt(now, queued), now);
	if (window === null) return null;
	const end = windowEnd(window);
	return end < now ? end : now;
}

/**
 * A volunteer's typed (or scanned) code. Wrong codes count against the person (5 a minute);
 * once over the limit even a right code is refused until the minute is over, so guessing
 * gains nothing by being fast. Only wrong codes are counted: checking in again is harmless.
 * From a phone's outbox (`queued`): its key is accepted once, and a code read offline counts
 * as `provenAt` says.
 */
export async function checkInWithCode(
	actor: Actor,
	eventId: string,
	input: { session?: unknown; code?: unknown },
	{
		now = new Date(),
		method = 'code' as CheckInMethod,
		queued = undefined as Queued | undefined
	} = {}
): Promise<CheckInResult> {
	parseInput(idSchema, eventId);
	const session = parseInput(sessionSchema, input.session ?? 'day');
	const code = parseInput(checkInCodeSchema, input.code ?? '');
	if (queued && queued.waitedMs > offlineLimitMs()) {
		throw new Invalid('checkin_error_offline_too_old', { code: ['checkin_error_offline_too_old'] });
	}
	const db = getDb();
	const teamId = await teamOfEvent(db, eventId);
	const key = `user:${actor.userId}`;
	if (await rateLimit.isLimited('checkInCode', key, { now })) {
		await rateLimit.consume('checkInCode', key, { now });
	}
	const result = await db.transaction(async (tx) => {
		const access = await requireDayAccess(tx, actor, teamId, eventId, 'share');
		requireTakesAttendance(access);
		// No settings yet: no code was ever shown, so none is right (and a refusal writes nothing).
		// Accepted before (its answer was lost): answered as then, the code not judged again.
		if (await findRepeat(tx, actor.userId, queued)) {
			return attendanceOf(tx, eventId, session, actor.userId);
		}
		const [settings] = await tx.select().from(daySettings).where(eq(daySettings.eventId, eventId));
		const at = settings && provenAt(settings.codeSecret, eventId, session, code, now, queued);
		if (!at) return null;
		if (await takeKey(tx, actor.userId, queued, 'check_in', eventId)) {
			return attendanceOf(tx, eventId, session, actor.userId);
		}
		return record(tx, access.event, session, actor.userId, null, method, at);
	});
	if (!result) {
		// Counted after the transaction: PGlite has one connection, and a refusal thrown inside
		// would roll the count back.
		await rateLimit.consume('checkInCode', key, { now });
		throw new Invalid('checkin_error_wrong_code', { code: ['checkin_error_wrong_code'] });
	}
	return { teamId, eventId, session, ...result };
}

/**
 * Someone not signed in holds a valid code (the QR link): they get a ticket that survives
 * signing in or up (15 minutes), and `completeIntent` checks them in with it. Wrong codes
 * count against the address.
 */
export async function issueTicket(
	eventId: string,
	input: { session?: unknown; code?: unknown },
	ip: string,
	now: Date = new Date()
): Promise<string> {
	parseInput(idSchema, eventId);
	const session = parseInput(sessionSchema, input.session ?? 'day');
	const code = parseInput(checkInCodeSchema, input.code ?? '');
	const key = `ip:${ip}`;
	if (await rateLimit.isLimited('checkInCode', key, { now })) {
		await rateLimit.consume('checkInCode', key, { now });
	}
	const db = getDb();
	const [settings] = await db.select().from(daySettings).where(eq(daySettings.eventId, eventId));
	if (!settings || !isCodeValid(settings.codeSecret, eventId, session, code, now)) {
		await rateLimit.consume('checkInCode', key, { now });
		throw new Invalid('checkin_error_wrong_code', { code: ['checkin_error_wrong_code'] });
	}
	return makeTicket(settings.codeSecret, eventId, session, now);
}

export async function checkInWithTicket(
	actor: Actor,
	eventId: string,
	ticket: string,
	now: Date = new Date()
): Promise<CheckInResult> {
	parseInput(idSchema, eventId);
	const db = getDb();
	const teamId = await teamOfEvent(db, eventId);
	return db.transaction(async (tx) => {
		const access = await requireDayAccess(tx, actor, teamId, eventId, 'share');
		requireTakesAttendance(access);
		const [settings] = await tx.select().from(daySettings).where(eq(daySettings.eventId, eventId));
		const session = settings && readTicket(settings.codeSecret, eventId, ticket, now);
		if (!session) throw new Invalid('checkin_error_ticket_expired');
		const result = await record(tx, access.event, session, actor.userId, null, 'link', now);
		return { teamId, eventId, session, ...result };
	});
}

/** Leaders for the members of the groups they lead (and themselves); captains for anyone. */
async function requireHandPower(tx: Tx, access: DayAccess, actor: Actor, userId: string) {
	if (access.isCaptain) return;
	if (userId === actor.userId && access.isStaff) return;
	const [member] = await tx
		.select({ groupId: groupMembers.groupId })
		.from(groupMembers)
		.where(and(eq(groupMembers.eventId, access.event.id), eq(groupMembers.userId, userId)));
	if (member && access.ledGroupIds.has(member.groupId)) return;
	throw new Forbidden('attendance_error_not_your_member');
}

export async function checkInByHand(
	scope: EventScope,
	userId: string,
	sessionInput: unknown = 'day',
	now: Date = new Date(),
	queued?: Queued
): Promise<{ isNew: boolean }> {
	const { actor, teamId, eventId } = scope;
	parseInput(idSchema, userId);
	const session = parseInput(sessionSchema, sessionInput);
	return getDb().transaction(async (tx) => {
		const access = await requireDayAccess(tx, actor, teamId, eventId, 'share');
		requireTakesAttendance(access);
		await requireHandPower(tx, access, actor, userId);
		if (!(await findMembership(tx, teamId, userId))) {
			throw new NotFound('teams_error_member_not_found');
		}
		if (await takeKey(tx, actor.userId, queued, 'hand_in', eventId)) return { isNew: false };
		// A leader's own record: queued offline, it is dated when the leader pressed the button
		// (bounded by OFFLINE_CHECKIN_MAX), as a mark on paper would be.
		const at = actedAt(now, queued);
		const { isNew } = await record(tx, access.event, session, userId, actor.userId, 'manual', at);
		return { isNew };
	});
}

/**
 * Check-out by the person, or by hand by whoever may check them in. Checking out twice keeps
 * the first time; someone never checked in cannot check out.
 */
export async function checkOut(
	scope: EventScope,
	userId: string = scope.actor.userId,
	sessionInput: unknown = 'day',
	now: Date = new Date(),
	queued?: Queued
): Promise<void> {
	const { actor, teamId, eventId } = scope;
	parseInput(idSchema, userId);
	const session = parseInput(sessionSchema, sessionInput);
	await getDb().transaction(async (tx) => {
		const access = await requireDayAccess(tx, actor, teamId, eventId, 'share');
		const kind = userId === actor.userId ? 'check_out' : 'hand_out';
		if (userId !== actor.userId) {
			await requireHandPower(tx, access, actor, userId);
			// Someone of another team is unknown here, as for a check-in by hand.
			if (!(await findMembership(tx, teamId, userId))) {
				throw new NotFound('teams_error_member_not_found');
			}
		}
		const where = and(
			eq(attendance.eventId, eventId),
			eq(attendance.session, session),
			eq(attendance.userId, userId)
		);
		const [row] = await tx.select().from(attendance).where(where).for('update');
		if (!row) throw new Conflict('attendance_error_not_checked_in');
		if (row.checkedOutAt) return;
		if (await takeKey(tx, actor.userId, queued, kind, eventId)) return;
		// Queued offline: when the button was pressed (an earlier check-out only shortens the
		// stay). A clock set wrong on a phone cannot make a negative stay: never before the check-in.
		const pressed = actedAt(now, queued);
		const out = pressed < row.checkedInAt ? row.checkedInAt : pressed;
		await tx
			.update(attendance)
			.set({ checkedOutAt: out, checkedOutBy: userId === actor.userId ? null : actor.userId })
			.where(and(where, isNull(attendance.checkedOutAt)));
		await publishAttendance(tx, access.event, session, userId);
	});
}

/** Captains set the day's thresholds (late arrivals, escalation, text retention). */
export async function updateDaySettings(
	scope: EventScope,
	input: Record<string, unknown>
): Promise<void> {
	const { actor, teamId, eventId } = scope;
	const data = parseInput(daySettingsSchema, input);
	await getDb().transaction(async (tx) => {
		const access = await requireDayAccess(tx, actor, teamId, eventId, 'share');
		if (!access.isCaptain) throw new Forbidden('events_error_captains_only');
		await settingsOf(tx, eventId);
		await tx
			.update(daySettings)
			.set({ ...data, updatedAt: new Date() })
			.where(eq(daySettings.eventId, eventId));
		await hint(tx, `event:${eventId}`, ['attendance']);
	});
}
