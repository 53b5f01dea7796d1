// Check-in and check-out. One row per person and session (the primary key), so checking in
// twice finds the row already there; every write publishes `attendance` on the event topic.
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
import { hint } from '../realtime/publish';
import * as rateLimit from '../auth/rate-limit';
import { findMembership } from '../teams/queries';
import type { Actor } from '../teams/types';
import { idSchema } from '$lib/schemas/common';
import { checkInCodeSchema, daySettingsSchema, sessionSchema } from '$lib/schemas/attendance';
import { isCodeValid, makeTicket, readTicket } from './code';
import { requireDayAccess, settingsOf, teamOfEvent, type DayAccess } from './staff';

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

async function record(
	tx: Tx,
	eventId: string,
	session: AttendanceSession,
	userId: string,
	by: string | null,
	method: CheckInMethod,
	now: Date
): Promise<{ checkedInAt: Date; isNew: boolean }> {
	// Checked in already: nothing changes. Checked out and back: the check-out is undone, the
	// first arrival time stays.
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
		await hint(tx, `event:${eventId}`, ['attendance'], [userId]);
		return { checkedInAt: row.checkedInAt, isNew: row.isNew };
	}
	const [existing] = await tx
		.select({ checkedInAt: attendance.checkedInAt })
		.from(attendance)
		.where(
			and(
				eq(attendance.eventId, eventId),
				eq(attendance.session, session),
				eq(attendance.userId, userId)
			)
		);
	return { checkedInAt: existing.checkedInAt, isNew: false };
}

/**
 * A volunteer's typed (or scanned) code. Wrong codes count against the person (5 a minute);
 * once over the limit even a right code is refused until the minute is over, so guessing
 * gains nothing by being fast. Only wrong codes are counted: checking in again is harmless.
 */
export async function checkInWithCode(
	actor: Actor,
	eventId: string,
	input: { session?: unknown; code?: unknown },
	{ now = new Date(), method = 'code' as CheckInMethod } = {}
): Promise<CheckInResult> {
	parseInput(idSchema, eventId);
	const session = parseInput(sessionSchema, input.session ?? 'day');
	const code = parseInput(checkInCodeSchema, input.code ?? '');
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
		const [settings] = await tx.select().from(daySettings).where(eq(daySettings.eventId, eventId));
		if (!settings || !isCodeValid(settings.codeSecret, eventId, session, code, now)) return null;
		return record(tx, eventId, session, actor.userId, null, method, now);
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
		const result = await record(tx, eventId, session, actor.userId, null, 'link', now);
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
	actor: Actor,
	teamId: string,
	eventId: string,
	userId: string,
	sessionInput: unknown = 'day',
	now: Date = new Date()
): Promise<{ isNew: boolean }> {
	parseInput(idSchema, userId);
	const session = parseInput(sessionSchema, sessionInput);
	return getDb().transaction(async (tx) => {
		const access = await requireDayAccess(tx, actor, teamId, eventId, 'share');
		requireTakesAttendance(access);
		await requireHandPower(tx, access, actor, userId);
		if (!(await findMembership(tx, teamId, userId))) {
			throw new NotFound('teams_error_member_not_found');
		}
		const { isNew } = await record(tx, eventId, session, userId, actor.userId, 'manual', now);
		return { isNew };
	});
}

/**
 * Check-out by the person, or by hand by whoever may check them in. Checking out twice keeps
 * the first time; someone never checked in cannot check out.
 */
export async function checkOut(
	actor: Actor,
	teamId: string,
	eventId: string,
	userId: string = actor.userId,
	sessionInput: unknown = 'day',
	now: Date = new Date()
): Promise<void> {
	parseInput(idSchema, userId);
	const session = parseInput(sessionSchema, sessionInput);
	await getDb().transaction(async (tx) => {
		const access = await requireDayAccess(tx, actor, teamId, eventId, 'share');
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
		// A clock set wrong on a phone cannot make a negative stay: never before the check-in.
		const out = now < row.checkedInAt ? row.checkedInAt : now;
		await tx
			.update(attendance)
			.set({ checkedOutAt: out, checkedOutBy: userId === actor.userId ? null : actor.userId })
			.where(and(where, isNull(attendance.checkedOutAt)));
		await hint(tx, `event:${eventId}`, ['attendance'], [userId]);
	});
}

/** Captains set the day's thresholds (late arrivals, escalation, text retention). */
export async function updateDaySettings(
	actor: Actor,
	teamId: string,
	eventId: string,
	input: Record<string, unknown>
): Promise<void> {
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
