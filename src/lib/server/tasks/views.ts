// A task as one viewer sees it, built from the rows every task read shares (board, task page).
import { asc, eq, sql } from 'drizzle-orm';
import type { Queryable } from '../db';
import { prepared } from '../db/reuse-built-queries';
import { eventGroups, taskSignups, tasks, users } from '../db/schema';
import type { Actor } from '../teams/types';
import type { EventRow } from '../events/access';
import { isOpen } from '../events/policy';
import type { Readiness, TaskKind } from '$lib/task-kinds';
import { canManageTask, overlaps } from './policy';

type Person = { userId: string; displayName: string };

export interface TaskView {
	id: string;
	kind: TaskKind;
	title: string;
	description: string | null;
	place: string | null;
	group: { id: string; name: string; colour: string } | null;
	date: string;
	startTime: string;
	endTime: string;
	capacity: number;
	taken: number;
	waiting: number;
	signupOpensAt: Date | null;
	isOpenForSignup: boolean;
	claimants: Person[];
	waitlist: (Person & { position: number })[];
	mine: { status: 'claimed' | 'waiting'; position: number | null } | null;
	/** Another of my claims in this event at an overlapping time. */
	overlapsMine: boolean;
	canManage: boolean;
	readiness: Readiness;
}

interface SignupRow {
	taskId: string;
	userId: string;
	displayName: string;
	status: 'claimed' | 'waiting';
	position: number | null;
}

// Each task with its group and its active signups (claimed, waiting) in their order, in one
// query: in embedded mode every query is a round of PGlite's WebAssembly on the event loop.
export const taskRows = (db: Queryable) =>
	db
		.select({
			task: tasks,
			group: { id: eventGroups.id, name: eventGroups.name, colour: eventGroups.colour },
			signups: sql<SignupRow[] | null>`(
				select json_agg(json_build_object(
					'taskId', s.task_id, 'userId', s.user_id, 'displayName', u.display_name,
					'status', s.status, 'position', s.position
				) order by s.position, s.claimed_at, s.id)
				from ${taskSignups} s join ${users} u on u.id = s.user_id
				where s.task_id = ${tasks.id} and s.status in ('claimed', 'waiting')
			)`
		})
		.from(tasks)
		.leftJoin(eventGroups, eq(eventGroups.id, tasks.groupId));

export const tasksOfEvent = prepared((db) =>
	taskRows(db)
		.where(eq(tasks.eventId, sql.placeholder('eventId')))
		.orderBy(asc(tasks.date), asc(tasks.startTime), asc(tasks.createdAt), asc(tasks.id))
		.prepare('tasks_of_event')
);

export type TaskRow = Awaited<ReturnType<ReturnType<typeof tasksOfEvent>['execute']>>[number];
export type ClaimTime = { taskId: string; date: string; startTime: string; endTime: string };

/** A task's view for one viewer: the shared row plus mine, my overlaps and what I may manage. */
export function viewsOf(
	rows: readonly TaskRow[],
	actor: Actor,
	event: EventRow,
	who: { isCaptain: boolean; ledGroupIds: string[] },
	now: Date,
	myClaims: readonly ClaimTime[]
): TaskView[] {
	return rows.map(({ task, group, signups }): TaskView => {
		const of = signups ?? [];
		const mine = of.find((s) => s.userId === actor.userId);
		return {
			id: task.id,
			kind: task.kind as TaskKind,
			title: task.title,
			description: task.description,
			place: task.place,
			group: group?.id ? group : null,
			date: task.date,
			startTime: task.startTime,
			endTime: task.endTime,
			capacity: task.capacity,
			taken: task.taken,
			waiting: task.waiting,
			signupOpensAt: task.signupOpensAt,
			isOpenForSignup: !task.signupOpensAt || task.signupOpensAt.getTime() <= now.getTime(),
			claimants: of
				.filter((s) => s.status === 'claimed')
				.map((s) => ({ userId: s.userId, displayName: s.displayName })),
			waitlist: of
				.filter((s) => s.status === 'waiting')
				.map((s) => ({ userId: s.userId, displayName: s.displayName, position: s.position ?? 0 })),
			mine: mine ? { status: mine.status as 'claimed' | 'waiting', position: mine.position } : null,
			overlapsMine: myClaims.some((c) => c.taskId !== task.id && overlaps(c, task)),
			canManage: isOpen(event.status) && canManageTask(who, task.groupId),
			readiness: task.readiness as Readiness
		};
	});
}
