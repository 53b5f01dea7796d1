// Reads of the day: the code screen, one's own status and the settings (the board: board.ts).
import { and, eq } from 'drizzle-orm';
import QRCode from 'qrcode';
import { getDb, type Queryable } from '../db';
import { attendance, events, type AttendanceSession } from '../db/schema';
import { Forbidden } from '../errors';
import { parseInput } from '../validate';
import { canSeeEvent } from '../events/policy';
import { requireMembership } from '../teams/queries';
import type { Actor } from '../teams/types';
import { addDays, zonedTime } from '$lib/time';
import { idSchema } from '$lib/schemas/common';
import { sessionSchema } from '$lib/schemas/attendance';
import { currentCode } from './code';
import { requireDayAccess, settingsOf, settingsOrDefaults, teamOfEvent } from './staff';
import type { EventRow } from '../events/access';

/** When a session starts and ends: the day itself, or the meeting the evening before. */
export function sessionTimes(
	event: Pick<EventRow, 'date' | 'startTime' | 'endTime' | 'timeZone'>,
	session: AttendanceSession,
	meetingTime: string
): { startsAt: Date; endsAt: Date } {
	if (session === 'meeting') {
		const startsAt = zonedTime(addDays(event.date, -1), meetingTime, event.timeZone);
		return { startsAt, endsAt: new Date(startsAt.getTime() + 2 * 3600_000) };
	}
	return {
		startsAt: zonedTime(event.date, event.startTime, event.timeZone),
		endsAt: zonedTime(event.date, event.endTime, event.timeZone)
	};
}

export interface CodeScreen {
	session: AttendanceSession;
	code: string;
	expiresAt: Date;
	link: string;
	qrSvg: string;
}

/** The rotating code as staff show it: digits, link and QR of the current window. */
export async function getCodeScreen(
	actor: Actor,
	teamId: string,
	eventId: string,
	sessionInput: unknown,
	origin: string,
	now: Date = new Date()
): Promise<CodeScreen> {
	const session = parseInput(sessionSchema, sessionInput ?? 'day');
	const db = getDb();
	const access = await requireDayAccess(db, actor, teamId, eventId);
	if (!access.isStaff) throw new Forbidden('checkin_error_staff_only');
	const settings = await settingsOf(db, eventId);
	const { code, expiresAt } = currentCode(settings.codeSecret, eventId, session, now);
	const link = `${origin}/check-in/${eventId}?${new URLSearchParams({ session, code })}`;
	const qrSvg = await QRCode.toString(link, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
	return { session, code, expiresAt, link, qrSvg };
}

export interface MyAttendance {
	session: AttendanceSession;
	checkedInAt: Date | null;
	checkedOutAt: Date | null;
}

async function myRows(db: Queryable, eventId: string, userId: string): Promise<MyAttendance[]> {
	const rows = await db
		.select({
			session: attendance.session,
			checkedInAt: attendance.checkedInAt,
			checkedOutAt: attendance.checkedOutAt
		})
		.from(attendance)
		.where(and(eq(attendance.eventId, eventId), eq(attendance.userId, userId)));
	return (['day', 'meeting'] as const).map(
		(session) =>
			rows.find((r) => r.session === session) ?? {
				session,
				checkedInAt: null,
				checkedOutAt: null
			}
	);
}

/** One's own check-in state in an event (the check-in page and the link page). */
export async function getMyAttendance(actor: Actor, teamId: string, eventId: string) {
	const db = getDb();
	const access = await requireDayAccess(db, actor, teamId, eventId);
	return {
		event: access.event,
		isStaff: access.isStaff,
		isCaptain: access.isCaptain,
		mine: await myRows(db, eventId, actor.userId)
	};
}

/**
 * What the link page may show: nothing about an event the person cannot see. Not signed in,
 * or not a member: only that a check-in link was opened.
 */
export async function previewCheckInLink(actor: Actor | null, eventId: string) {
	if (!actor || !idSchema.safeParse(eventId).success) return null;
	const db = getDb();
	const teamId = await teamOfEvent(db, eventId).catch(() => null);
	if (!teamId) return null;
	const membership = await requireMembership(db, teamId, actor).catch(() => null);
	if (!membership) return null;
	const [event] = await db.select().from(events).where(eq(events.id, eventId));
	if (!event || !canSeeEvent(membership.role, event.status)) return null;
	return {
		teamId,
		title: event.title,
		timeZone: event.timeZone,
		mine: await myRows(db, eventId, actor.userId)
	};
}

/** The day's thresholds, for the captains' settings form. */
export async function getDaySettings(actor: Actor, teamId: string, eventId: string) {
	const db = getDb();
	const access = await requireDayAccess(db, actor, teamId, eventId);
	if (!access.isCaptain) throw new Forbidden('events_error_captains_only');
	const s = await settingsOrDefaults(db, eventId);
	return {
		lateAfterMinutes: s.lateAfterMinutes,
		meetingTime: s.meetingTime.slice(0, 5),
		escalateAfterMinutes: s.escalateAfterMinutes,
		retentionDays: s.retentionDays
	};
}
