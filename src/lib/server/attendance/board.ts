// The live attendance board: per group, expected (its members and its leader) against present
// (checked in, not out), who is missing, who came late; people present in no group apart. Three
// reads of one rule (`readBoard` + `buildBoard`): the whole board (the page), a few people's
// rows (what a hint names, for the page to patch), and the numbers alone (what a check-in's
// hint carries, computed inside its transaction).
import { and, asc, eq, inArray, type Column, type SQL } from 'drizzle-orm';
import { getDb, type Queryable } from '../db';
import {
	attendance,
	eventGroups,
	groupMembers,
	teamMembers,
	users,
	type AttendanceSession
} from '../db/schema';
import { Invalid } from '../errors';
import { parseInput } from '../validate';
import { topicVersion, type HintCounts } from '../realtime/publish';
import type { Actor } from '../teams/types';
import { idSchema } from '$lib/schemas/common';
import { sessionSchema } from '$lib/schemas/attendance';
import {
	boardTotals,
	isHere,
	orderPeople,
	type BoardGroup,
	type BoardPerson,
	type BoardTotals,
	type PlacedPerson
} from '$lib/attendance-board';
import { sessionTimes } from './queries';
import { requireDayAccess, settingsOrDefaults, type DayAccess } from './staff';
import type { EventRow } from '../events/access';

export { boardTotals, type BoardGroup, type BoardPerson } from '$lib/attendance-board';

/** At most this many people per narrow read (a hint names at most 50). */
export const MAX_BOARD_PEOPLE = 50;

type EventTimes = Pick<EventRow, 'id' | 'teamId' | 'date' | 'startTime' | 'endTime' | 'timeZone'>;

/** The rows of a board, or only of `ids` (their groups, names and check-ins). */
async function readBoard(
	db: Queryable,
	event: EventTimes,
	session: AttendanceSession,
	ids?: string[]
) {
	const settings = await settingsOrDefaults(db, event.id);
	const { startsAt } = sessionTimes(event, session, settings.meetingTime);
	const only = (column: Column): SQL | undefined => (ids ? inArray(column, ids) : undefined);
	const [groups, members, team, rows] = await Promise.all([
		db
			.select()
			.from(eventGroups)
			.where(eq(eventGroups.eventId, event.id))
			.orderBy(asc(eventGroups.createdAt), asc(eventGroups.id)),
		db
			.select({ groupId: groupMembers.groupId, userId: groupMembers.userId })
			.from(groupMembers)
			.where(and(eq(groupMembers.eventId, event.id), only(groupMembers.userId))),
		db
			.select({ userId: users.id, displayName: users.displayName })
			.from(teamMembers)
			.innerJoin(users, eq(users.id, teamMembers.userId))
			.where(and(eq(teamMembers.teamId, event.teamId), only(teamMembers.userId)))
			.orderBy(asc(users.displayName)),
		db
			.select()
			.from(attendance)
			.where(
				and(
					eq(attendance.eventId, event.id),
					eq(attendance.session, session),
					only(attendance.userId)
				)
			)
	]);
	return {
		settings,
		startsAt,
		lateAfter: startsAt.getTime() + settings.lateAfterMinutes * 60_000,
		groups,
		members,
		team,
		rows
	};
}

type BoardRows = Awaited<ReturnType<typeof readBoard>>;
type CanMark = (userId: string, groupId: string | null) => boolean;

function buildBoard(read: BoardRows, canMark: CanMark) {
	const names = new Map(read.team.map((m) => [m.userId, m.displayName]));
	const byUser = new Map(read.rows.map((r) => [r.userId, r]));
	const placed = new Set<string>();
	const person = (userId: string, groupId: string | null): BoardPerson => {
		const row = byUser.get(userId);
		placed.add(userId);
		return {
			userId,
			displayName: names.get(userId) ?? '',
			checkedInAt: row?.checkedInAt ?? null,
			checkedOutAt: row?.checkedOutAt ?? null,
			isLate: Boolean(row && row.checkedInAt.getTime() > read.lateAfter),
			canMark: canMark(userId, groupId)
		};
	};
	const groups: BoardGroup[] = read.groups.map((group) => {
		const ids = new Set(read.members.filter((m) => m.groupId === group.id).map((m) => m.userId));
		if (group.leaderId && names.has(group.leaderId)) ids.add(group.leaderId);
		const people = [...ids]
			.filter((id) => names.has(id))
			.map((id) => person(id, group.id))
			.sort(orderPeople);
		return {
			id: group.id,
			name: group.name,
			colour: group.colour,
			expected: people.length,
			present: people.filter(isHere).length,
			people
		};
	});
	const others = read.rows
		.filter((r) => !placed.has(r.userId) && names.has(r.userId))
		.map((r) => person(r.userId, null))
		.sort(orderPeople);
	// Members in no group who have not checked in: the hand check-in list (captains only).
	const unplaced = read.team.filter((m) => !placed.has(m.userId) && !byUser.has(m.userId));
	return { groups, others, unplaced };
}

function viewerMarks(access: DayAccess, actor: Actor): CanMark {
	return (userId, groupId) =>
		access.isCaptain ||
		(groupId !== null && access.ledGroupIds.has(groupId)) ||
		(access.isStaff && userId === actor.userId);
}

/** The board's part that a resync reads again: no event, settings or anything around it. */
async function boardOf(db: Queryable, access: DayAccess, actor: Actor, session: AttendanceSession) {
	// Read before the rows: the rows are at least this new (a hint after it is applied again).
	const version = await topicVersion(db, `event:${access.event.id}`);
	const read = await readBoard(db, access.event, session);
	const { groups, others, unplaced } = buildBoard(read, viewerMarks(access, actor));
	return {
		version,
		session,
		startsAt: read.startsAt,
		lateAfterMinutes: read.settings.lateAfterMinutes,
		groups,
		others,
		totals: boardTotals(groups, others),
		unplaced: access.isCaptain ? unplaced : []
	};
}

export type LiveAttendanceBoard = Awaited<ReturnType<typeof boardOf>>;

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
	const board = await boardOf(db, access, actor, session);
	return {
		event: access.event,
		isStaff: access.isStaff,
		isCaptain: access.isCaptain,
		...board,
		now
	};
}

/**
 * The live page's narrow read. With `ids` (what a hint named): those people's rows in every
 * place they show, nothing else (a person who is no longer on the board has none). Without:
 * the board alone, for a resync. The same permission checks as the page.
 */
export async function getBoardPeople(
	actor: Actor,
	teamId: string,
	eventId: string,
	sessionInput: unknown,
	ids?: string[]
): Promise<{ version: number; people: PlacedPerson[] } | LiveAttendanceBoard> {
	const session = parseInput(sessionSchema, sessionInput ?? 'day');
	if (ids) {
		if (ids.length === 0 || ids.length > MAX_BOARD_PEOPLE) {
			throw new Invalid('attendance_error_people_ids');
		}
		for (const id of ids) parseInput(idSchema, id);
	}
	const db = getDb();
	const access = await requireDayAccess(db, actor, teamId, eventId);
	if (!ids) return boardOf(db, access, actor, session);
	const version = await topicVersion(db, `event:${eventId}`);
	const read = await readBoard(db, access.event, session, ids);
	const { groups, others, unplaced } = buildBoard(read, viewerMarks(access, actor));
	const people: PlacedPerson[] = [
		...groups.flatMap((g) => g.people.map((person) => ({ place: { group: g.id! }, person }))),
		...others.map((person) => ({ place: 'others' as const, person })),
		...(access.isCaptain ? unplaced : []).map((m) => ({
			place: 'unplaced' as const,
			person: {
				...m,
				checkedInAt: null,
				checkedOutAt: null,
				isLate: false,
				canMark: true
			}
		}))
	];
	return { version, people };
}

/** A board's numbers as a hint carries them: per group id, and the headline under the event's. */
export function toHintCounts(
	eventId: string,
	session: AttendanceSession,
	groups: Pick<BoardGroup, 'id' | 'present' | 'expected'>[],
	totals: BoardTotals
): Record<string, HintCounts> {
	const meeting = session === 'meeting' ? 1 : 0;
	const counts: Record<string, HintCounts> = {
		[eventId]: {
			meeting,
			expected: totals.expected,
			arrived: totals.arrived,
			late: totals.late,
			left: totals.left,
			outside: totals.outsideGroups
		}
	};
	for (const g of groups) counts[g.id!] = { meeting, present: g.present, expected: g.expected };
	return counts;
}

/**
 * The numbers the board shows for a session, as a hint's counts. Read inside the writing
 * transaction, after `lockTopic`: hints are numbered in commit order, so these are the numbers
 * at that hint's version.
 */
export async function attendanceCounts(
	tx: Queryable,
	event: EventTimes,
	session: AttendanceSession
): Promise<Record<string, HintCounts>> {
	const { groups, others } = buildBoard(await readBoard(tx, event, session), () => false);
	return toHintCounts(event.id, session, groups, boardTotals(groups, others));
}
