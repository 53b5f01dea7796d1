// Creating, editing and deleting tasks. Captains everywhere; a leader for the groups they lead
// (a task without a group is the captains'). Capacity changes go through `setCapacity`, which
// decides who moves to the waitlist.
import { eq } from 'drizzle-orm';
import { getDb, type Tx } from '../db';
import { tasks } from '../db/schema';
import { parseInput } from '../validate';
import { hint } from '../realtime/publish';
import { taskSchema, type TaskInput } from '$lib/schemas/tasks';
import { zonedTime } from '$lib/time';
import { lockTask, openTaskEvent, requireTaskPower, type TaskAccess } from './access';
import type { EventScope } from '../events/scope';
import { requireAgendaItem } from '../agenda/queries';
import { requireGroup } from '../groups/queries';

type Parsed = ReturnType<typeof taskSchema.parse>;

/** A task may name a group and an agenda item of its own event only. */
async function checkLinks(tx: Tx, eventId: string, data: Parsed): Promise<void> {
	if (data.groupId) await requireGroup(tx, eventId, data.groupId);
	if (data.agendaItemId) await requireAgendaItem(tx, eventId, data.agendaItemId);
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
