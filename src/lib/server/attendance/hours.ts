// Volunteer hours of the service day: from check-in to check-out, or to the event's end when
// nobody checked the person out (flagged, so a captain can see the figure is an estimate).
// The mobilization meeting is attendance only, not hours.
import { and, asc, eq, inArray } from 'drizzle-orm';
import { getDb } from '../db';
import { attendance, eventGroups, events, groupMembers, teams, users } from '../db/schema';
import { Forbidden } from '../errors';
import { parseInput } from '../validate';
import { canSeeEvent } from '../events/policy';
import { findMembership, requireMembership } from '../teams/queries';
import type { Actor } from '../teams/types';
import { idSchema } from '$lib/schemas/common';
import { requireDayAccess } from './staff';
import { sessionTimes } from './queries';
import { toCsv } from '../csv';
import { roundHours } from '$lib/day-format';
import { dateTimeFormat } from '$lib/intl';

export interface HoursRow {
	userId: string;
	displayName: string;
	groupName: string | null;
	checkedInAt: Date;
	checkedOutAt: Date;
	/** No check-out was recorded: the event's end stands in for it. */
	isEstimated: boolean;
	minutes: number;
}

/** Whole minutes between in and out; nothing for arriving after the end without leaving. */
export function stayMinutes(checkedInAt: Date, checkedOutAt: Date | null, eventEnd: Date) {
	const out = checkedOutAt ?? eventEnd;
	return {
		out: out < checkedInAt ? checkedInAt : out,
		isEstimated: checkedOutAt === null,
		minutes: Math.max(0, Math.round((out.getTime() - checkedInAt.getTime()) / 60_000))
	};
}

/** Hours for the CSV: the one rule (`roundHours`), a plain decimal point for spreadsheets. */
export function csvHours(minutes: number): string {
	return roundHours(minutes).toFixed(1);
}

/** Captains see everyone's hours, leaders their groups', volunteers their own. */
export async function getEventHours(actor: Actor, teamId: string, eventId: string) {
	const db = getDb();
	const access = await requireDayAccess(db, actor, teamId, eventId);
	const { endsAt } = sessionTimes(access.event, 'day', '19:00');
	const rows = await db
		.select({
			userId: attendance.userId,
			displayName: users.displayName,
			groupId: groupMembers.groupId,
			groupName: eventGroups.name,
			checkedInAt: attendance.checkedInAt,
			checkedOutAt: attendance.checkedOutAt
		})
		.from(attendance)
		.innerJoin(users, eq(users.id, attendance.userId))
		.leftJoin(
			groupMembers,
			and(eq(groupMembers.eventId, attendance.eventId), eq(groupMembers.userId, attendance.userId))
		)
		.leftJoin(eventGroups, eq(eventGroups.id, groupMembers.groupId))
		.where(and(eq(attendance.eventId, eventId), eq(attendance.session, 'day')))
		.orderBy(asc(eventGroups.name), asc(users.displayName));
	const visible = rows.filter(
		(r) =>
			access.isCaptain ||
			r.userId === actor.userId ||
			(r.groupId !== null && access.ledGroupIds.has(r.groupId))
	);
	const hours: HoursRow[] = visible.map((r) => {
		const stay = stayMinutes(r.checkedInAt, r.checkedOutAt, endsAt);
		return {
			userId: r.userId,
			displayName: r.displayName,
			groupName: r.groupName,
			checkedInAt: r.checkedInAt,
			checkedOutAt: stay.out,
			isEstimated: stay.isEstimated,
			minutes: stay.minutes
		};
	});
	return {
		event: access.event,
		isCaptain: access.isCaptain,
		isStaff: access.isStaff,
		rows: hours,
		totalMinutes: hours.reduce((n, r) => n + r.minutes, 0)
	};
}

/**
 * The event's hours as CSV for a spreadsheet: UTF-8 with a byte-order mark (without it Excel
 * reads Chinese as mojibake), CRLF line ends, times in the event's zone.
 */
export async function eventHoursCsv(
	actor: Actor,
	teamId: string,
	eventId: string,
	header: { name: string; group: string; in: string; out: string; hours: string; estimated: string }
): Promise<{ filename: string; body: string }> {
	const page = await getEventHours(actor, teamId, eventId);
	if (!page.isStaff) throw new Forbidden('hours_error_staff_only');
	const time = dateTimeFormat('sv-SE', {
		timeZone: page.event.timeZone,
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		hourCycle: 'h23'
	});
	const lines = [
		[header.name, header.group, header.in, header.out, header.hours, header.estimated],
		...page.rows.map((r) => [
			r.displayName,
			r.groupName ?? '',
			time.format(r.checkedInAt),
			time.format(r.checkedOutAt),
			csvHours(r.minutes),
			r.isEstimated ? '1' : ''
		])
	];
	return { filename: `hours-${page.event.date}.csv`, body: toCsv(lines) };
}

/** A volunteer's hours across every event of the team: for them, or for a captain. */
export async function getVolunteerHours(actor: Actor, teamId: string, userId: string) {
	parseInput(idSchema, userId);
	const db = getDb();
	const me = await requireMembership(db, teamId, actor);
	if (userId !== actor.userId && me.role !== 'captain') throw new Forbidden('hours_error_own_only');
	const member = await findMembership(db, teamId, userId);
	if (!member) throw new Forbidden('hours_error_own_only');
	const [person] = await db
		.select({ displayName: users.displayName })
		.from(users)
		.where(eq(users.id, userId));
	const [team] = await db.select({ name: teams.name }).from(teams).where(eq(teams.id, teamId));
	const teamEvents = await db
		.select()
		.from(events)
		.where(eq(events.teamId, teamId))
		.orderBy(asc(events.date));
	const seen = teamEvents.filter((e) => canSeeEvent(me.role, e.status) && e.status !== 'cancelled');
	const rows =
		seen.length === 0
			? []
			: await db
					.select()
					.from(attendance)
					.where(
						and(
							eq(attendance.userId, userId),
							eq(attendance.session, 'day'),
							inArray(
								attendance.eventId,
								seen.map((e) => e.id)
							)
						)
					);
	const entries = seen.flatMap((event) => {
		const row = rows.find((r) => r.eventId === event.id);
		if (!row) return [];
		const { endsAt } = sessionTimes(event, 'day', '19:00');
		const stay = stayMinutes(row.checkedInAt, row.checkedOutAt, endsAt);
		return [
			{
				eventId: event.id,
				title: event.title,
				date: event.date,
				timeZone: event.timeZone,
				communityName: event.communityName,
				minutes: stay.minutes,
				isEstimated: stay.isEstimated
			}
		];
	});
	return {
		displayName: person?.displayName ?? '',
		teamName: team?.name ?? '',
		entries,
		totalMinutes: entries.reduce((n, e) => n + e.minutes, 0)
	};
}
