// What every task command starts with: the event (locked for share, so it cannot close
// meanwhile), the groups the actor leads there, and the task row locked for update. Every
// change of a task's sign-ups holds that row lock, so they run one after another per task.
import { and, eq } from 'drizzle-orm';
import type { Queryable, Tx } from '../db';
import { eventGroups, tasks } from '../db/schema';
import { Conflict, Forbidden } from '../errors';
import type { Actor } from '../teams/types';
import { requireEvent, type EventAccess } from '../events/access';
import { canLeadGroups, isOpen } from '../events/policy';
import { canManageTask } from './policy';
import { ownedRow } from '../owned-row';

export type TaskRow = typeof tasks.$inferSelect;

export interface TaskAccess extends EventAccess {
	ledGroupIds: string[];
}

export async function ledGroupsOf(
	db: Queryable,
	access: EventAccess,
	actor: Actor
): Promise<string[]> {
	if (!canLeadGroups(access.role)) return [];
	const rows = await db
		.select({ id: eventGroups.id })
		.from(eventGroups)
		.where(and(eq(eventGroups.eventId, access.event.id), eq(eventGroups.leaderId, actor.userId)));
	return rows.map((r) => r.id);
}

export async function openTaskEvent(
	tx: Tx,
	actor: Actor,
	teamId: string,
	eventId: string,
	options: { leads?: boolean } = {}
): Promise<TaskAccess> {
	const access = await requireEvent(tx, actor, teamId, eventId, 'share');
	if (!isOpen(access.event.status)) throw new Conflict('events_error_closed');
	// Claiming and withdrawing need no leader's powers: skip the query.
	const ledGroupIds = options.leads === false ? [] : await ledGroupsOf(tx, access, actor);
	return { ...access, ledGroupIds };
}

/** The task of the event, locked for update: counters change only under this lock. */
export const lockTask = ownedRow(tasks, tasks.eventId, 'tasks_error_not_found', 'update');

export function requireTaskPower(access: TaskAccess, groupId: string | null): void {
	if (!canManageTask(access, groupId)) throw new Forbidden('tasks_error_not_your_task');
}
