// One task's page: the task for this viewer, its management and, for a performance, its preparation.
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import { getDb, type Queryable } from '../db';
import {
	agendaItems,
	eventGroups,
	performanceItems,
	rehearsals,
	taskSignups,
	tasks
} from '../db/schema';
import { teamPickList } from '../teams/queries';
import { displayNameOf } from '../db/display-name';
import { NotFound } from '../errors';
import { parseInput } from '../validate';
import type { Actor } from '../teams/types';
import { requireEvent, type EventRow } from '../events/access';
import { isOpen } from '../events/policy';
import { idSchema } from '$lib/schemas/common';
import { ledGroupsOf } from './access';
import { canManageTask, nextReadiness } from './policy';
import { taskRows, viewsOf, type TaskView } from './views';

/** Some tasks of the event, read now (one task's page), with my claims for their overlaps. */
async function loadTasks(
	db: Queryable,
	actor: Actor,
	event: EventRow,
	who: { isCaptain: boolean; ledGroupIds: string[] },
	now: Date,
	only: readonly string[]
): Promise<TaskView[]> {
	if (only.length === 0) return [];
	const [rows, myClaims] = await Promise.all([
		taskRows(db)
			.where(and(eq(tasks.eventId, event.id), inArray(tasks.id, [...only])))
			.orderBy(asc(tasks.date), asc(tasks.startTime), asc(tasks.createdAt), asc(tasks.id)),
		db
			.select({
				taskId: tasks.id,
				date: tasks.date,
				startTime: tasks.startTime,
				endTime: tasks.endTime
			})
			.from(taskSignups)
			.innerJoin(tasks, eq(tasks.id, taskSignups.taskId))
			.where(
				and(
					eq(taskSignups.eventId, event.id),
					eq(taskSignups.userId, actor.userId),
					eq(taskSignups.status, 'claimed')
				)
			)
	]);
	return viewsOf(rows, actor, event, who, now, myClaims);
}

/** One task with its management and, for a performance, its preparation. */
export async function getTaskDetail(
	actor: Actor,
	teamId: string,
	eventId: string,
	taskId: string,
	now: Date = new Date()
) {
	parseInput(idSchema, taskId);
	const db = getDb();
	const access = await requireEvent(db, actor, teamId, eventId);
	const ledGroupIds = await ledGroupsOf(db, access, actor);
	const [task] = await loadTasks(
		db,
		actor,
		access.event,
		{ isCaptain: access.isCaptain, ledGroupIds },
		now,
		[taskId]
	);
	if (!task) throw new NotFound('tasks_error_not_found');
	const [row] = await db
		.select({
			agendaItemId: tasks.agendaItemId,
			approvedAt: tasks.approvedAt,
			approvedByName: displayNameOf(tasks.approvedBy)
		})
		.from(tasks)
		.where(eq(tasks.id, taskId));
	const [items, log, members, groups, agenda] = await Promise.all([
		db
			.select({
				id: performanceItems.id,
				item: performanceItems.item,
				bringerId: performanceItems.bringerId,
				bringerName: displayNameOf(performanceItems.bringerId),
				isDone: performanceItems.isDone
			})
			.from(performanceItems)
			.where(eq(performanceItems.taskId, taskId))
			.orderBy(asc(performanceItems.createdAt)),
		db
			.select({
				id: rehearsals.id,
				date: rehearsals.date,
				note: rehearsals.note,
				authorName: displayNameOf(rehearsals.authorId)
			})
			.from(rehearsals)
			.where(eq(rehearsals.taskId, taskId))
			.orderBy(desc(rehearsals.date), desc(rehearsals.createdAt)),
		teamPickList(db, teamId),
		db
			.select({ id: eventGroups.id, name: eventGroups.name, colour: eventGroups.colour })
			.from(eventGroups)
			.where(eq(eventGroups.eventId, eventId))
			.orderBy(asc(eventGroups.createdAt), asc(eventGroups.id)),
		db
			.select({ id: agendaItems.id, title: agendaItems.title, startTime: agendaItems.startTime })
			.from(agendaItems)
			.where(eq(agendaItems.eventId, eventId))
			.orderBy(asc(agendaItems.startTime))
	]);
	const open = isOpen(access.event.status);
	const isApprover =
		open && canManageTask({ isCaptain: access.isCaptain, ledGroupIds }, task.group?.id ?? null);
	const isContributor = open && (isApprover || task.mine?.status === 'claimed');
	return {
		event: access.event,
		isOpen: open,
		task: { ...task, agendaItemId: row.agendaItemId },
		approval: row.approvedAt ? { at: row.approvedAt, by: row.approvedByName } : null,
		isApprover,
		isContributor,
		nextReadiness:
			task.kind === 'performance'
				? nextReadiness(task.readiness, { isApprover, isContributor })
				: [],
		items: items.map((i) => ({
			...i,
			canTick: open && (isContributor || i.bringerId === actor.userId)
		})),
		rehearsals: log,
		members: isContributor ? members : [],
		groups: access.isCaptain ? groups : groups.filter((g) => ledGroupIds.includes(g.id)),
		agenda
	};
}
