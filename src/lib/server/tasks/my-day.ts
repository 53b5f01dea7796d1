// "My day": one volunteer's page for an event day: server-rendered, kept live by the event's
// hints (only my tasks and notices are read again, never the page).
import { and, asc, eq, inArray } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { getDb, type Queryable } from '../db';
import {
	agendaItemGroups,
	agendaItems,
	eventGroups,
	groupMembers,
	taskSignups,
	tasks,
	users
} from '../db/schema';
import type { Actor } from '../teams/types';
import { requireEvent } from '../events/access';
import { listCaptains } from '../events/queries';
import type { TaskKind } from '$lib/task-kinds';
import { noticesFor } from './notices';
import { topicVersion } from '../realtime/publish';

/** My claimed and waiting tasks in the event, with times, places and my place in the queue. */
async function myTasks(db: Queryable, actor: Actor, eventId: string) {
	const mine = await db
		.select({
			id: tasks.id,
			title: tasks.title,
			kind: tasks.kind,
			date: tasks.date,
			startTime: tasks.startTime,
			endTime: tasks.endTime,
			place: tasks.place,
			agendaPlace: agendaItems.place,
			status: taskSignups.status,
			position: taskSignups.position
		})
		.from(taskSignups)
		.innerJoin(tasks, eq(tasks.id, taskSignups.taskId))
		.leftJoin(agendaItems, eq(agendaItems.id, tasks.agendaItemId))
		.where(
			and(
				eq(taskSignups.eventId, eventId),
				eq(taskSignups.userId, actor.userId),
				inArray(taskSignups.status, ['claimed', 'waiting'])
			)
		)
		.orderBy(asc(tasks.date), asc(tasks.startTime));
	return mine.map((t) => ({
		id: t.id,
		title: t.title,
		kind: t.kind as TaskKind,
		date: t.date,
		startTime: t.startTime,
		endTime: t.endTime,
		place: t.place ?? t.agendaPlace,
		status: t.status as 'claimed' | 'waiting',
		position: t.position
	}));
}

/**
 * My day's live part (issue 18): my tasks and notices, with the event's version read before
 * them; what the page fetches when a hint says my placement or my place in a queue moved.
 */
export async function getMyTasks(actor: Actor, teamId: string, eventId: string) {
	const db = getDb();
	await requireEvent(db, actor, teamId, eventId);
	const version = await topicVersion(db, `event:${eventId}`);
	const [mine, notices] = await Promise.all([
		myTasks(db, actor, eventId),
		noticesFor(db, actor, eventId)
	]);
	return { version, tasks: mine, notices };
}

/**
 * "My day": the volunteer's group and its leader's phone, their tasks with times and places,
 * the meeting point and the run of show (the whole team's items and their group's).
 */
export async function getMyDay(actor: Actor, teamId: string, eventId: string) {
	const db = getDb();
	const access = await requireEvent(db, actor, teamId, eventId);
	const leader = alias(users, 'leader');
	const [group] = await db
		.select({
			id: eventGroups.id,
			name: eventGroups.name,
			colour: eventGroups.colour,
			leaderName: leader.displayName,
			leaderPhone: leader.phone
		})
		.from(groupMembers)
		.innerJoin(eventGroups, eq(eventGroups.id, groupMembers.groupId))
		.leftJoin(leader, eq(leader.id, eventGroups.leaderId))
		.where(and(eq(groupMembers.eventId, eventId), eq(groupMembers.userId, actor.userId)));
	const version = await topicVersion(db, `event:${eventId}`);
	const [mine, agenda, links, captains, notices] = await Promise.all([
		myTasks(db, actor, eventId),
		db
			.select({
				id: agendaItems.id,
				startTime: agendaItems.startTime,
				durationMinutes: agendaItems.durationMinutes,
				title: agendaItems.title,
				place: agendaItems.place
			})
			.from(agendaItems)
			.where(eq(agendaItems.eventId, eventId))
			.orderBy(asc(agendaItems.startTime), asc(agendaItems.createdAt)),
		db
			.select({ itemId: agendaItemGroups.itemId, groupId: agendaItemGroups.groupId })
			.from(agendaItemGroups)
			.where(eq(agendaItemGroups.eventId, eventId)),
		listCaptains(teamId),
		noticesFor(db, actor, eventId)
	]);
	const forMe = agenda.filter((item) => {
		const groupsOf = links.filter((l) => l.itemId === item.id).map((l) => l.groupId);
		return groupsOf.length === 0 || (group !== undefined && groupsOf.includes(group.id));
	});
	return {
		event: access.event,
		group: group ?? null,
		version,
		tasks: mine,
		agenda: forMe,
		captains,
		notices
	};
}
