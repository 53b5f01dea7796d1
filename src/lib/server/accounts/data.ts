// A person's own data, as one JSON document they can download (PIPL: the right to a copy).
// Only what is theirs: their profile, memberships and what they did. Other people appear by
// nothing but the team, event, group and task names needed to make sense of a row; never
// tokens, hashes, other people's names or contact details, or a donor's name.
import { and, asc, eq, inArray, isNull, or, sql, type Column } from 'drizzle-orm';
import type { PgTable, SelectedFields } from 'drizzle-orm/pg-core';
import { getDb } from '../db';
import {
	announcements,
	attendance,
	donations,
	eventGroups,
	events,
	groupMembers,
	incidents,
	performanceItems,
	rehearsals,
	taskSignups,
	tasks,
	teamMembers,
	teams,
	users
} from '../db/schema';
import { NotFound } from '../errors';
import { sweepExpiredText } from '../incidents/commands';
import { sessionTimes } from '../attendance/queries';
import { stayMinutes } from '../attendance/hours';
import type { AccountActor } from './commands';

export const EXPORT_FORMAT = 'tongxing-personal-data';

const eventRef = {
	eventId: events.id,
	eventTitle: events.title,
	eventDate: events.date,
	teamName: teams.name
};

export async function exportMyData(actor: AccountActor, now: Date = new Date()) {
	const db = getDb();
	const me = actor.userId;
	const isMe = (column: Column) => sql<boolean>`coalesce(${column} = ${me}, false)`;
	// Rows of an event's table, with the event and team that make sense of them (`eventRef`).
	const ofEvent = <F extends SelectedFields>(table: PgTable, eventId: Column, fields: F) =>
		db
			.select({ ...eventRef, ...fields })
			.from(table)
			.innerJoin(events, eq(events.id, eventId))
			.innerJoin(teams, eq(teams.id, events.teamId));
	// Rows of a task's table (a performance's preparation), with the task beside the event.
	const ofTask = <F extends SelectedFields>(table: PgTable, taskId: Column, fields: F) =>
		db
			.select({ ...eventRef, taskId: tasks.id, taskTitle: tasks.title, ...fields })
			.from(table)
			.innerJoin(tasks, eq(tasks.id, taskId))
			.innerJoin(events, eq(events.id, tasks.eventId))
			.innerJoin(teams, eq(teams.id, events.teamId));
	const [profile] = await db
		.select({
			id: users.id,
			email: users.email,
			displayName: users.displayName,
			phone: users.phone,
			createdAt: users.createdAt,
			updatedAt: users.updatedAt
		})
		.from(users)
		.where(and(eq(users.id, me), isNull(users.deletedAt)));
	if (!profile) throw new NotFound();
	// Report text past its retention is erased before it could be copied out.
	await sweepExpiredText(now, db);

	const memberships = await db
		.select({
			teamId: teams.id,
			teamName: teams.name,
			role: teamMembers.role,
			joinedAt: teamMembers.joinedAt
		})
		.from(teamMembers)
		.innerJoin(teams, eq(teams.id, teamMembers.teamId))
		.where(eq(teamMembers.userId, me))
		.orderBy(asc(teams.name));

	const groups = await ofEvent(eventGroups, eventGroups.eventId, {
		groupId: eventGroups.id,
		groupName: eventGroups.name,
		isLeader: isMe(eventGroups.leaderId),
		addedAt: groupMembers.addedAt
	})
		.leftJoin(
			groupMembers,
			and(eq(groupMembers.groupId, eventGroups.id), eq(groupMembers.userId, me))
		)
		.where(or(eq(groupMembers.userId, me), eq(eventGroups.leaderId, me)))
		.orderBy(asc(events.date), asc(eventGroups.name));

	const signups = await ofEvent(taskSignups, taskSignups.eventId, {
		taskId: tasks.id,
		taskTitle: tasks.title,
		taskDate: tasks.date,
		startTime: tasks.startTime,
		endTime: tasks.endTime,
		status: taskSignups.status,
		position: taskSignups.position,
		signedUpAt: taskSignups.createdAt,
		claimedAt: taskSignups.claimedAt,
		endedAt: taskSignups.endedAt
	})
		.innerJoin(tasks, eq(tasks.id, taskSignups.taskId))
		.where(eq(taskSignups.userId, me))
		.orderBy(asc(events.date), asc(taskSignups.createdAt));

	const presence = await ofEvent(attendance, attendance.eventId, {
		eventStart: events.startTime,
		eventEnd: events.endTime,
		timeZone: events.timeZone,
		session: attendance.session,
		method: attendance.method,
		checkedInAt: attendance.checkedInAt,
		checkedOutAt: attendance.checkedOutAt
	})
		.where(eq(attendance.userId, me))
		.orderBy(asc(events.date), asc(attendance.session));
	const attendanceRows = presence.map(({ eventStart, eventEnd, timeZone, ...row }) => {
		if (row.session !== 'day') return { ...row, minutes: null, isEstimated: null };
		const { endsAt } = sessionTimes(
			{ date: row.eventDate, startTime: eventStart, endTime: eventEnd, timeZone },
			'day',
			'19:00'
		);
		const stay = stayMinutes(row.checkedInAt, row.checkedOutAt, endsAt);
		return { ...row, minutes: stay.minutes, isEstimated: stay.isEstimated };
	});

	const reported = await ofEvent(incidents, incidents.eventId, {
		incidentId: incidents.id,
		category: incidents.category,
		severity: incidents.severity,
		status: incidents.status,
		description: incidents.description,
		place: incidents.place,
		createdAt: incidents.createdAt,
		acknowledgedAt: incidents.acknowledgedAt,
		resolvedAt: incidents.resolvedAt,
		erasedAt: incidents.erasedAt
	})
		.where(eq(incidents.reporterId, me))
		.orderBy(asc(incidents.createdAt));

	const donated = await ofEvent(donations, donations.eventId, {
		donationId: donations.id,
		category: donations.category,
		description: donations.description,
		unit: donations.unit,
		pledged: donations.pledged,
		received: donations.received,
		distributed: donations.distributed,
		isPledgedByMe: isMe(donations.pledgedBy),
		isHeldByMe: isMe(donations.holderId),
		createdAt: donations.createdAt
	})
		.where(or(eq(donations.pledgedBy, me), eq(donations.holderId, me)))
		.orderBy(asc(donations.createdAt));

	const props = await ofTask(performanceItems, performanceItems.taskId, {
		item: performanceItems.item,
		isDone: performanceItems.isDone
	}).where(eq(performanceItems.bringerId, me));
	const rehearsalNotes = await ofTask(rehearsals, rehearsals.taskId, {
		date: rehearsals.date,
		note: rehearsals.note,
		createdAt: rehearsals.createdAt
	}).where(eq(rehearsals.authorId, me));
	const notices = await ofEvent(announcements, announcements.eventId, {
		body: announcements.body,
		createdAt: announcements.createdAt
	}).where(eq(announcements.authorId, me));

	return {
		format: EXPORT_FORMAT,
		version: 1,
		exportedAt: now.toISOString(),
		profile,
		teams: memberships,
		groups: groups.map(({ addedAt, ...g }) => ({ ...g, isMember: addedAt !== null, addedAt })),
		taskSignups: signups,
		attendance: attendanceRows,
		incidentsReported: reported,
		donations: donated,
		performanceItems: props,
		rehearsalNotes,
		announcements: notices
	};
}

export type PersonalData = Awaited<ReturnType<typeof exportMyData>>;

/** The teams where the person is the only captain: deleting the account waits for a handover. */
export async function teamsNeedingHandover(
	actor: AccountActor
): Promise<{ id: string; name: string }[]> {
	const db = getDb();
	const mine = await db
		.select({ id: teams.id, name: teams.name })
		.from(teamMembers)
		.innerJoin(teams, eq(teams.id, teamMembers.teamId))
		.where(and(eq(teamMembers.userId, actor.userId), eq(teamMembers.role, 'captain')))
		.orderBy(asc(teams.name));
	if (mine.length === 0) return [];
	const captains = await db
		.select({ teamId: teamMembers.teamId })
		.from(teamMembers)
		.where(
			and(
				inArray(
					teamMembers.teamId,
					mine.map((t) => t.id)
				),
				eq(teamMembers.role, 'captain')
			)
		);
	return mine.filter((t) => captains.filter((c) => c.teamId === t.id).length === 1);
}
