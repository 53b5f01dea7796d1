// Reads of the day: the code screen, one's own status, the live board, and hours.
import { and, asc, eq } from 'drizzle-orm';
import QRCode from 'qrcode';
import { getDb, type Queryable } from '../db';
import {
	attendance,
	eventGroups,
	events,
	groupMembers,
	teamMembers,
	users,
	type AttendanceSession
} from '../db/schema';
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

export interface BoardPerson {
	userId: string;
	displayName: string;
	checkedInAt: Date | null;
	checkedOutAt: Date | null;
	isLate: boolean;
	/** The viewer may check this person in or out by hand. */
	canMark: boolean;
}

export interface BoardGroup {
	id: string | null;
	name: string;
	colour: string;
	expected: number;
	present: number;
	people: BoardPerson[];
}

const isHere = (p: BoardPerson) => p.checkedInAt !== null && p.checkedOutAt === null;

/**
 * The board's headline, each person counted once (a leader of two groups is one person):
 * - expected: the people of the event's groups (members and leaders);
 * - arrived: those of them here now (checked in, not checked out);
 * - late: those arrived who checked in after the session's start + the grace minutes (someone
 *   who came late and has left is counted under left, not late);
 * - left: everyone who checked in and then out (grouped or not);
 * - outsideGroups: people here now who are in no group (listed apart, not in arrived).
 */
export function boardTotals(groups: BoardGroup[], others: BoardPerson[]) {
	const grouped = new Map(groups.flatMap((g) => g.people.map((p) => [p.userId, p] as const)));
	const arrived = [...grouped.values()].filter(isHere);
	return {
		expected: grouped.size,
		arrived: arrived.length,
		late: arrived.filter((p) => p.isLate).length,
		left: [...grouped.values(), ...others].filter((p) => p.checkedOutAt !== null).length,
		outsideGroups: others.filter(isHere).length
	};
}

/**
 * Per group, expected (its members and its leader) against present (checked in, not out); who
 * is missing; who came late. People present but in no group are listed apart.
 */
export async function getBoard(
	actor: Actor,
	teamId: string,
	eventId: string,
	sessionInput: unknown,
	now: Date = new Date()
) {
	const session = parseInput(sessionSchema, sessionInput ?? 'day');
	const db = getDb();
	const access = await requireDayAccess(db, actor, teamId, eventId);
	const settings = await settingsOrDefaults(db, eventId);
	const { startsAt } = sessionTimes(access.event, session, settings.meetingTime);
	const lateAfter = startsAt.getTime() + settings.lateAfterMinutes * 60_000;
	const [groups, members, team, rows] = await Promise.all([
		db
			.select()
			.from(eventGroups)
			.where(eq(eventGroups.eventId, eventId))
			.orderBy(asc(eventGroups.createdAt), asc(eventGroups.id)),
		db
			.select({ groupId: groupMembers.groupId, userId: groupMembers.userId })
			.from(groupMembers)
			.where(eq(groupMembers.eventId, eventId)),
		db
			.select({ userId: users.id, displayName: users.displayName })
			.from(teamMembers)
			.innerJoin(users, eq(users.id, teamMembers.userId))
			.where(eq(teamMembers.teamId, teamId))
			.orderBy(asc(users.displayName)),
		db
			.select()
			.from(attendance)
			.where(and(eq(attendance.eventId, eventId), eq(attendance.session, session)))
	]);
	const names = new Map(team.map((m) => [m.userId, m.displayName]));
	const byUser = new Map(rows.map((r) => [r.userId, r]));
	const placed = new Set<string>();
	const person = (userId: string, groupId: string | null): BoardPerson => {
		const row = byUser.get(userId);
		placed.add(userId);
		return {
			userId,
			displayName: names.get(userId) ?? '',
			checkedInAt: row?.checkedInAt ?? null,
			checkedOutAt: row?.checkedOutAt ?? null,
			isLate: Boolean(row && row.checkedInAt.getTime() > lateAfter),
			canMark:
				access.isCaptain ||
				(groupId !== null && access.ledGroupIds.has(groupId)) ||
				(access.isStaff && userId === actor.userId)
		};
	};
	const order = (a: BoardPerson, b: BoardPerson) =>
		Number(isHere(a)) - Number(isHere(b)) || a.displayName.localeCompare(b.displayName);
	const boardGroups: BoardGroup[] = groups.map((group) => {
		const ids = new Set(members.filter((m) => m.groupId === group.id).map((m) => m.userId));
		if (group.leaderId && names.has(group.leaderId)) ids.add(group.leaderId);
		const people = [...ids]
			.filter((id) => names.has(id))
			.map((id) => person(id, group.id))
			.sort(order);
		return {
			id: group.id,
			name: group.name,
			colour: group.colour,
			expected: people.length,
			present: people.filter(isHere).length,
			people
		};
	});
	const others = rows
		.filter((r) => !placed.has(r.userId) && names.has(r.userId))
		.map((r) => person(r.userId, null))
		.sort(order);
	return {
		event: access.event,
		session,
		isStaff: access.isStaff,
		isCaptain: access.isCaptain,
		startsAt,
		lateAfterMinutes: settings.lateAfterMinutes,
		groups: boardGroups,
		others,
		totals: boardTotals(boardGroups, others),
		/** Members in no group who have not checked in: the hand check-in list for captains. */
		unplaced: access.isCaptain
			? team.filter((m) => !placed.has(m.userId) && !byUser.has(m.userId))
			: [],
		now
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
