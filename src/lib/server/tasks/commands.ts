// Creating, editing and deleting tasks. Captains everywhere; a leader for the groups they lead
// (a task without a group is the captains'). Capacity changes go through `setCapacity`, which
// decides who moves to the waitlist.
import { and, eq } from 'drizzle-orm';
import { getDb, type Tx } from '../db';
import { agendaItems, eventGroups, tasks } from '../db/schema';
import { NotFound } from '../errors';
import { parseInput } from '../validate';
import { hint } from '../realtime/publish';
import { taskSchema, type TaskInput } from '$lib/schemas/tasks';
import { zonedTime } from '$lib/time';
import { lockTask, openTaskEvent, requireTaskPower, type TaskAccess } from './access';
import type { EventScope } from '../events/scope';

type Parsed = ReturnType<typeof taskSchema.parse>;

async function checkLinks(tx: Tx, eventId: string, data: Parsed): Promise<void> {
	if (data.groupId) {
		const [group] = await tx
			.select({ id: eventGroups.id })
			.from(eventGroups)
			.where(and(eq(eventGroups.id, data.groupId), eq(eventGroups.eventId, eventId)));
		if (!group) throw new NotFound('groups_error_not_found');
	}
	if (data.agendaItemId) {
		const [item] = await tx
			.select({ id: agendaItems.id })
			.from(agendaItems)
			.where(and(eq(agendaItems.id, data.agendaItemId), eq(agendaItems.eventId, eventId)));
		if (!item) throw new NotFound('agenda_error_not_found');
	}
}

function columns(access: TaskAccess, data: Parsed) {
	const { signupOpensAt, ...rest } = data;
	return {
		...rest,
		signupOpensAt: signupOpensAt
			? zonedTime(signupOpensAt.date, signupOpensAt.time, access.event.timeZone)
			: null
	};
}

export async function createTask(
	scope: EventScope,
	input: TaskInput | Record<string, unknown>
): Promise<{ id: string }> {
	const { actor, teamId, eventId } = scope;
	const data = parseInput(taskSchema, input);
	return getDb().transaction(async (tx) => {
		const access = await openTaskEvent(tx, actor, teamId, eventId);
		requireTaskPower(access, data.groupId);
		await checkLinks(tx, eventId, data);
		const [task] = await tx
			.insert(tasks)
			.values({ ...columns(access, data), eventId, createdBy: actor.userId })
			.returning({ id: tasks.id });
		await hint(tx, `event:${eventId}`, ['tasks'], [task.id]);
		return task;
	});
}

/** Everything but the capacity, which has its own command. */
export async function updateTask(
	scope: EventScope,
	taskId: string,
	input: TaskInput | Record<string, unknown>
): Promise<void> {
	const { actor, teamId, eventId } = scope;
	await getDb().transaction(async (tx) => {
		const access = await openTaskEvent(tx, actor, teamId, eventId);
		const task = await lockTask(tx, eventId, taskId);
		requireTaskPower(access, task.groupId);
		const data = parseInput(taskSchema, { ...input, capacity: task.capacity });
		// A leader cannot hand a task to a group they do not lead.
		requireTaskPower(access, data.groupId);
		await checkLinks(tx, eventId, data);
		await tx
			.update(tasks)
			.set({ ...columns(access, data), capacity: task.capacity })
			.where(eq(tasks.id, task.id));
		await hint(tx, `event:${eventId}`, ['tasks'], [task.id]);
	});
}

export async function deleteTask(scope: EventScope, taskId: string): Promise<void> {
	const { actor, teamId, eventId } = scope;
	await getDb().transaction(async (tx) => {
		const access = await openTaskEvent(tx, actor, teamId, eventId);
		const task = await lockTask(tx, eventId, taskId);
		requireTaskPower(access, task.groupId);
		await tx.delete(tasks).where(eq(tasks.id, task.id));
		await hint(tx, `event:${eventId}`, ['tasks', 'signups'], [task.id]);
	});
}
