// Performance preparation (节目): props and costumes, the rehearsal log, and readiness. Those
// preparing a performance are its claimants; its approvers are the group's leader and the
// captains, who alone approve it (recorded with who and when) or send it back.
import { and, eq, sql } from 'drizzle-orm';
import { getDb, type Tx } from '../db';
import { performanceItems, rehearsals, taskSignups, tasks, teamMembers } from '../db/schema';
import { Conflict, Forbidden, NotFound } from '../errors';
import { parseInput } from '../validate';
import { hint } from '../realtime/publish';
import type { Actor } from '../teams/types';
import { performanceItemSchema, readinessSchema, rehearsalSchema } from '$lib/schemas/tasks';
import type { Readiness } from '$lib/task-kinds';
import { lockTask, openTaskEvent, type TaskAccess, type TaskRow } from './access';
import { canManageTask, readinessStep } from './policy';
import type { EventScope } from '../events/scope';
import { ownedRow } from '../owned-row';

interface Role {
	task: TaskRow;
	isApprover: boolean;
	isContributor: boolean;
}

async function performance(
	tx: Tx,
	actor: Actor,
	teamId: string,
	eventId: string,
	taskId: string
): Promise<Role & { access: TaskAccess }> {
	const access = await openTaskEvent(tx, actor, teamId, eventId);
	const task = await lockTask(tx, eventId, taskId);
	if (task.kind !== 'performance') throw new Conflict('perf_error_not_performance');
	const isApprover = canManageTask(access, task.groupId);
	const [claim] = await tx
		.select({ id: taskSignups.id })
		.from(taskSignups)
		.where(
			and(
				eq(taskSignups.taskId, task.id),
				eq(taskSignups.userId, actor.userId),
				eq(taskSignups.status, 'claimed')
			)
		);
	return { access, task, isApprover, isContributor: isApprover || Boolean(claim) };
}

function requireContributor(role: Role): void {
	if (!role.isContributor) throw new Forbidden('perf_error_not_preparing');
}

/**
 * One transaction on a performance: the task locked and the actor's part in it judged, then
 * `write`, then the task's hint (every change of its preparation shows on the board).
 */
function onPerformance<T>(
	scope: EventScope,
	taskId: string,
	write: (tx: Tx, role: Role & { access: TaskAccess }) => Promise<T>
): Promise<T> {
	const { actor, teamId, eventId } = scope;
	return getDb().transaction(async (tx) => {
		const role = await performance(tx, actor, teamId, eventId, taskId);
		const result = await write(tx, role);
		await hint(tx, `event:${eventId}`, ['tasks'], [role.task.id]);
		return result;
	});
}

export async function setReadiness(
	scope: EventScope,
	taskId: string,
	to: Readiness | string
): Promise<void> {
	const { actor } = scope;
	const next = parseInput(readinessSchema, to);
	await onPerformance(scope, taskId, async (tx, role) => {
		const step = readinessStep(role.task.readiness as Readiness, next);
		if (!step) throw new Conflict('perf_error_transition');
		if (step === 'approver' && !role.isApprover) throw new Forbidden('perf_error_approvers_only');
		requireContributor(role);
		const approved = next === 'approved';
		await tx
			.update(tasks)
			.set({
				readiness: next,
				approvedBy: approved ? actor.userId : null,
				approvedAt: approved ? sql`now()` : null
			})
			.where(eq(tasks.id, role.task.id));
	});
}

export async function addPerformanceItem(
	scope: EventScope,
	taskId: string,
	input: Record<string, unknown>
): Promise<{ id: string }> {
	const { teamId } = scope;
	const data = parseInput(performanceItemSchema, input);
	return onPerformance(scope, taskId, async (tx, role) => {
		requireContributor(role);
		if (data.bringerId) {
			const [member] = await tx
				.select({ userId: teamMembers.userId })
				.from(teamMembers)
				.where(and(eq(teamMembers.teamId, teamId), eq(teamMembers.userId, data.bringerId)));
			if (!member) throw new NotFound('teams_error_member_not_found');
		}
		const [item] = await tx
			.insert(performanceItems)
			.values({ taskId: role.task.id, item: data.item, bringerId: data.bringerId })
			.returning({ id: performanceItems.id });
		return item;
	});
}

const requireItem = ownedRow(
	performanceItems,
	performanceItems.taskId,
	'perf_error_item_not_found'
);

/** The one who brings an item may tick it too, even when not preparing the performance. */
export async function setPerformanceItemDone(
	scope: EventScope,
	taskId: string,
	itemId: string,
	isDone: boolean
): Promise<void> {
	const { actor } = scope;
	await onPerformance(scope, taskId, async (tx, role) => {
		const item = await requireItem(tx, role.task.id, itemId);
		if (item.bringerId !== actor.userId) requireContributor(role);
		await tx.update(performanceItems).set({ isDone }).where(eq(performanceItems.id, item.id));
	});
}

export async function removePerformanceItem(
	scope: EventScope,
	taskId: string,
	itemId: string
): Promise<void> {
	await onPerformance(scope, taskId, async (tx, role) => {
		requireContributor(role);
		const item = await requireItem(tx, role.task.id, itemId);
		await tx.delete(performanceItems).where(eq(performanceItems.id, item.id));
	});
}

export async function logRehearsal(
	scope: EventScope,
	taskId: string,
	input: Record<string, unknown>
): Promise<{ id: string }> {
	const { actor } = scope;
	const data = parseInput(rehearsalSchema, input);
	return onPerformance(scope, taskId, async (tx, role) => {
		requireContributor(role);
		const [row] = await tx
			.insert(rehearsals)
			.values({ taskId: role.task.id, ...data, authorId: actor.userId })
			.returning({ id: rehearsals.id });
		return row;
	});
}
