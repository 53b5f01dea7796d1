// Claiming, withdrawing and the waitlist. Capacity is the database's job: every command here
// holds the task row `for update` (one writer per task at a time) and moves the `taken` and
// `waiting` counters, whose checks refuse overbooking outright; the partial unique index
// refuses a second active sign-up per person and task, and `(task, position)` is unique.
import { and, asc, eq, gt, inArray, lt, notInArray, sql, type SQL } from 'drizzle-orm';
import { getDb, rowsOf, type Tx } from '../db';
import { events, taskNotices, taskSignups, tasks } from '../db/schema';
import { Conflict, Invalid, NotFound } from '../errors';
import { parseInput } from '../validate';
import { hint, hintChannel, type LaterHints } from '../realtime/publish';
import { taskCounts, type TaskCounts } from '../realtime/hints';
import { findMembership } from '../teams/queries';
import { requireEvent } from '../events/access';
import { idSchema } from '$lib/schemas/common';
import { capacitySchema, claimKeySchema } from '$lib/schemas/tasks';
import type { NoticeKind } from '$lib/task-kinds';
import { lockTask, openTaskEvent, requireTaskPower, type TaskRow } from './access';
import { domainErrorOf } from './sql-errors';
import type { EventScope } from '../events/scope';

export interface Placement {
	signupId: string;
	status: 'claimed' | 'waiting';
	/** Place in line, 1 first; null for a claim. */
	position: number | null;
}

/** The task's counters after a command and the hint's version (0: nothing was published). */
export interface Outcome {
	counts: TaskCounts;
	version: number;
}

export interface ClaimResult extends Placement, Outcome {
	/** The claimant's other claims in this event whose times overlap (allowed, but warned). */
	overlaps: { taskId: string; title: string }[];
}

type Active = { id: string; userId: string; status: string; position: number | null };

async function activeSignup(tx: Tx, taskId: string, userId: string): Promise<Active | undefined> {
	const [row] = await tx
		.select({
			id: taskSignups.id,
			userId: taskSignups.userId,
			status: taskSignups.status,
			position: taskSignups.position
		})
		.from(taskSignups)
		.where(
			and(
				eq(taskSignups.taskId, taskId),
				eq(taskSignups.userId, userId),
				inArray(taskSignups.status, ['claimed', 'waiting'])
			)
		);
	return row;
}

function placementOf(row: Active): Placement {
	return {
		signupId: row.id,
		status: row.status as Placement['status'],
		position: row.position
	};
}

/**
 * Moves the waitlist positions above `after` by `delta`. `(task, position)` is checked row by
 * row, so the rows step out of the way first (to their negatives) and then land.
 */
async function shiftWaitlist(tx: Tx, taskId: string, after: number, delta: number) {
	const waiting = and(eq(taskSignups.taskId, taskId), eq(taskSignups.status, 'waiting'));
	await tx
		.update(taskSignups)
		.set({ position: sql`-${taskSignups.position}` })
		.where(and(waiting, gt(taskSignups.position, after)));
	await tx
		.update(taskSignups)
		.set({ position: sql`-${taskSignups.position} + ${delta}` })
		.where(and(waiting, lt(taskSignups.position, 0)));
}

async function notify(
	tx: Tx,
	eventId: string,
	taskId: string,
	userIds: readonly string[],
	kind: NoticeKind,
	subjectId: string | null = null
) {
	if (userIds.length === 0) return;
	await tx
		.insert(taskNotices)
		.values(userIds.map((userId) => ({ userId, eventId, taskId, kind, subjectId })));
}

/** A task's counters, as the hints carry them. */
type Counts = { taken: number; capacity: number; waiting: number };
const countsOf = { taken: tasks.taken, capacity: tasks.capacity, waiting: tasks.waiting };

/**
 * Signs a person up for the locked task: a slot if one is free, else the end of the line. The
 * caller holds the task row's lock and read the row under it, so the outcome and the new
 * counters follow from `task`. The counter's update (still conditional: the database has the
 * last word), the sign-up's insert and the caller's `alongside` statements (built, not yet
 * sent) go out together and in this order: on PostgreSQL one round trip under the lock.
 */
async function place<T extends unknown[] = []>(
	tx: Tx,
	task: TaskRow,
	userId: string,
	assignedBy: string | null,
	alongside: (
		placement: Placement,
		counts: Counts
	) => [...{ [K in keyof T]: PromiseLike<T[K]> }] = () => [] as never
): Promise<{ placement: Placement; counts: Counts; results: T }> {
	const signupId = crypto.randomUUID();
	const free = task.taken < task.capacity;
	const placement: Placement = free
		? { signupId, status: 'claimed', position: null }
		: { signupId, status: 'waiting', position: task.waiting + 1 };
	const counts: Counts = {
		taken: task.taken + (free ? 1 : 0),
		capacity: task.capacity,
		waiting: task.waiting + (free ? 0 : 1)
	};
	const bump = free
		? tx
				.update(tasks)
				.set({ taken: sql`${tasks.taken} + 1` })
				.where(and(eq(tasks.id, task.id), lt(tasks.taken, tasks.capacity)))
				.returning(countsOf)
		: tx
				.update(tasks)
				.set({ waiting: sql`${tasks.waiting} + 1` })
				.where(eq(tasks.id, task.id))
				.returning(countsOf);
	const insert = tx
		.insert(taskSignups)
		.values({
			id: signupId,
			eventId: task.eventId,
			taskId: task.id,
			userId,
			status: placement.status,
			position: placement.position,
			assignedBy: free ? assignedBy : null,
			claimedAt: free ? sql`now()` : null
		})
		.returning({ id: taskSignups.id });
	// Promise.all asks each statement for its answer in turn, so they are sent in this order.
	const [[moved], , ...results] = await Promise.all([
		bump,
		insert,
		...alongside(placement, counts)
	]);
	// The row was read under this transaction's lock; anything else is a bug, not a user error.
	if (!moved || moved.taken !== counts.taken || moved.waiting !== counts.waiting) {
		throw new Error('the locked task changed');
	}
	return { placement, counts, results: results as T };
}

/** Fills up to `slots` free places from the head of the line; one promotion per freed slot. */
async function promote(tx: Tx, task: TaskRow, slots: number): Promise<string[]> {
	const promoted: string[] = [];
	for (let i = 0; i < slots; i++) {
		const [first] = await tx
			.update(taskSignups)
			.set({ status: 'claimed', position: null, claimedAt: sql`now()` })
			.where(
				and(
					eq(taskSignups.taskId, task.id),
					eq(taskSignups.status, 'waiting'),
					eq(taskSignups.position, 1)
				)
			)
			.returning({ userId: taskSignups.userId });
		if (!first) break;
		const [moved] = await tx
			.update(tasks)
			.set({ taken: sql`${tasks.taken} + 1`, waiting: sql`${tasks.waiting} - 1` })
			.where(and(eq(tasks.id, task.id), lt(tasks.taken, tasks.capacity)))
			.returning({ id: tasks.id });
		// The caller freed the slot under the same lock; anything else is a bug, not a user error.
		if (!moved) throw new Error('promotion without a free slot');
		await shiftWaitlist(tx, task.id, 1, -1);
		promoted.push(first.userId);
	}
	await notify(tx, task.eventId, task.id, promoted, 'promoted');
	return promoted;
}

/** Ends an active sign-up, frees its slot or its place in line, and promotes into a slot. */
async function release(
	tx: Tx,
	task: TaskRow,
	signup: Active,
	status: 'withdrawn' | 'removed'
): Promise<string[]> {
	await tx
		.update(taskSignups)
		.set({ status, position: null, endedAt: sql`now()` })
		.where(eq(taskSignups.id, signup.id));
	if (signup.status === 'claimed') {
		await tx
			.update(tasks)
			.set({ taken: sql`${tasks.taken} - 1` })
			.where(eq(tasks.id, task.id));
		return promote(tx, task, 1);
	}
	await tx
		.update(tasks)
		.set({ waiting: sql`${tasks.waiting} - 1` })
		.where(eq(tasks.id, task.id));
	await shiftWaitlist(tx, task.id, signup.position ?? 0, -1);
	return [];
}

/**
 * The hint of a sign-up change: the task and the people whose placement moved (ids), and the
 * task's new counters (the delta a board applies without reloading).
 */
function publishTaskHint(
	tx: Tx,
	taskId: string,
	eventId: string,
	userIds: string[],
	{ taken, capacity, waiting }: Counts,
	later?: LaterHints
): Promise<number> {
	const counts = { [taskId]: taskCounts(taken, capacity, waiting) };
	const args = [`event:${eventId}`, ['tasks', 'signups'], [taskId, ...userIds], counts] as const;
	if (later) {
		later.add(...args);
		return Promise.resolve(0);
	}
	return hint(tx, ...args);
}

async function publishCounts(
	tx: Tx,
	taskId: string,
	eventId: string,
	userIds: string[] = [],
	later?: LaterHints
): Promise<Outcome> {
	const [counts] = await tx.select(countsOf).from(tasks).where(eq(tasks.id, taskId));
	const version = await publishTaskHint(tx, taskId, eventId, userIds, counts, later);
	return { counts: taskCounts(counts.taken, counts.capacity, counts.waiting), version };
}

/** Runs one claim function's statement: its one row, or its TX… state as a domain error. */
async function callOne<T>(statement: SQL): Promise<T> {
	try {
		const [row] = rowsOf<T>(await getDb().execute(statement));
		return row;
	} catch (error) {
		throw domainErrorOf(error);
	}
}

/** jsonb comes back parsed from both drivers; a string is parsed here all the same. */
function jsonOf<T>(value: unknown): T {
	return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

type CountsRow = {
	taken: number | string;
	capacity: number | string;
	waiting: number | string;
	version: number | string;
};

function outcomeOf(row: CountsRow): Outcome {
	return {
		counts: taskCounts(Number(row.taken), Number(row.capacity), Number(row.waiting)),
		version: Number(row.version)
	};
}

/**
 * Claims a slot, or a place on the waitlist when the task is full. The key comes from the
 * form: a repeat (a double tap, a resent form) gets the first outcome and changes nothing.
 * One statement: `tongxing_claim` (supabase/migrations/20261202100600_claim_functions.sql)
 * judges the membership, the event, the task under its lock and the key, places the sign-up
 * and publishes the hint, in one transaction and one round trip.
 */
export async function claimTask(
	scope: EventScope,
	taskId: string,
	key: string,
	now: Date = new Date()
): Promise<ClaimResult> {
	const { actor, teamId, eventId } = scope;
	const idempotencyKey = parseInput(claimKeySchema, key);
	parseInput(idSchema, taskId);
	const row = await callOne<
		CountsRow & {
			signup_id: string;
			status: Placement['status'];
			position: number | null;
			overlaps: unknown;
		}
	>(
		sql`select * from tongxing_claim(${actor.userId}::uuid, ${teamId}::uuid, ${eventId}::uuid, ${taskId}::uuid, ${idempotencyKey}::uuid, ${now.toISOString()}::timestamptz, ${hintChannel()}::text)`
	);
	return {
		signupId: row.signup_id,
		status: row.status,
		position: row.position === null ? null : Number(row.position),
		overlaps: jsonOf<ClaimResult['overlaps']>(row.overlaps),
		...outcomeOf(row)
	};
}

/**
 * Leaves a slot or the line. Leaving a slot promotes the first in line; late, it alerts. One
 * statement: `tongxing_withdraw`, as `tongxing_claim` for the claim.
 */
export async function withdrawFromTask(
	scope: EventScope,
	taskId: string,
	now: Date = new Date()
): Promise<{ promoted: string[]; wasLate: boolean } & Outcome> {
	const { actor, teamId, eventId } = scope;
	if (!idSchema.safeParse(taskId).success) {
		// The membership and the event are judged before the task's id, as they always were.
		await callOne(
			sql`select 1 from tongxing_open_task_event(${actor.userId}::uuid, ${teamId}::uuid, ${eventId}::uuid)`
		);
		parseInput(idSchema, taskId);
	}
	const row = await callOne<CountsRow & { promoted: unknown; was_late: boolean }>(
		sql`select * from tongxing_withdraw(${actor.userId}::uuid, ${teamId}::uuid, ${eventId}::uuid, ${taskId}::uuid, ${now.toISOString()}::timestamptz, ${hintChannel()}::text)`
	);
	return {
		promoted: jsonOf<string[]>(row.promoted),
		wasLate: row.was_late === true,
		...outcomeOf(row)
	};
}

/**
 * One transaction for a leader's or captain's change to someone's sign-up: the event open, the
 * task locked, and the actor's power over it.
 */
async function onSomeonesSignup<T>(
	scope: EventScope,
	taskId: string,
	userId: string,
	write: (tx: Tx, task: TaskRow) => Promise<T>
): Promise<T> {
	const { actor, teamId, eventId } = scope;
	parseInput(idSchema, userId);
	return getDb().transaction(async (tx) => {
		const access = await openTaskEvent(tx, actor, teamId, eventId);
		const task = await lockTask(tx, eventId, taskId);
		requireTaskPower(access, task.groupId);
		return write(tx, task);
	});
}

/** A leader or captain gives a member a slot: straight in, or out of the line, never over. */
export async function assignTask(
	scope: EventScope,
	taskId: string,
	userId: string
): Promise<Placement> {
	const { actor, teamId, eventId } = scope;
	return onSomeonesSignup(scope, taskId, userId, async (tx, task) => {
		if (!(await findMembership(tx, teamId, userId))) {
			throw new NotFound('teams_error_member_not_found');
		}
		const existing = await activeSignup(tx, task.id, userId);
		if (existing?.status === 'claimed') return placementOf(existing);
		if (task.taken >= task.capacity) throw new Conflict('tasks_error_full');
		let placement: Placement;
		if (existing) {
			await tx
				.update(taskSignups)
				.set({
					status: 'claimed',
					position: null,
					claimedAt: sql`now()`,
					assignedBy: actor.userId
				})
				.where(eq(taskSignups.id, existing.id));
			await tx
				.update(tasks)
				.set({ taken: sql`${tasks.taken} + 1`, waiting: sql`${tasks.waiting} - 1` })
				.where(eq(tasks.id, task.id));
			await shiftWaitlist(tx, task.id, existing.position ?? 0, -1);
			placement = { signupId: existing.id, status: 'claimed', position: null };
		} else {
			({ placement } = await place(tx, task, userId, actor.userId));
		}
		if (userId !== actor.userId) await notify(tx, eventId, task.id, [userId], 'assigned');
		await publishCounts(tx, task.id, eventId, [userId]);
		return placement;
	});
}

/** A leader or captain takes someone off a task (slot or line); the line moves up. */
export async function removeSignup(
	scope: EventScope,
	taskId: string,
	userId: string
): Promise<{ promoted: string[] }> {
	const { actor, eventId } = scope;
	return onSomeonesSignup(scope, taskId, userId, async (tx, task) => {
		const signup = await activeSignup(tx, task.id, userId);
		if (!signup) throw new NotFound('tasks_error_not_signed_up');
		const promoted = await release(tx, task, signup, 'removed');
		if (userId !== actor.userId) await notify(tx, eventId, task.id, [userId], 'removed');
		await publishCounts(tx, task.id, eventId, [userId, ...promoted]);
		return { promoted };
	});
}

/**
 * Changes a task's capacity. Below the current claims, whoever moves to the waitlist must be
 * chosen (exactly as many as are over); they go to the head of the line, in the order given.
 * Above, the line fills the new slots.
 */
export async function setCapacity(
	scope: EventScope,
	taskId: string,
	capacityInput: unknown,
	moveUserIds: readonly string[] = []
): Promise<{ moved: string[]; promoted: string[] }> {
	const { actor, teamId, eventId } = scope;
	const capacity = parseInput(capacitySchema, capacityInput);
	const chosen = [...new Set(moveUserIds.map((id) => parseInput(idSchema, id)))];
	return getDb().transaction(async (tx) => {
		const access = await openTaskEvent(tx, actor, teamId, eventId);
		const task = await lockTask(tx, eventId, taskId);
		requireTaskPower(access, task.groupId);
		const over = task.taken - capacity;
		if (over <= 0) {
			await tx.update(tasks).set({ capacity }).where(eq(tasks.id, task.id));
			const promoted = await promote(tx, task, capacity - task.taken);
			await publishCounts(tx, task.id, eventId, promoted);
			return { moved: [], promoted };
		}
		if (chosen.length !== over) {
			throw new Invalid('tasks_error_choose_who_moves', {
				moveUserIds: ['tasks_error_choose_who_moves']
			});
		}
		const claimed = await tx
			.select({ userId: taskSignups.userId })
			.from(taskSignups)
			.where(
				and(
					eq(taskSignups.taskId, task.id),
					eq(taskSignups.status, 'claimed'),
					inArray(taskSignups.userId, chosen)
				)
			);
		// Someone chosen has left the task since the form was shown: show it again.
		if (claimed.length !== over) throw new Conflict('tasks_error_capacity_choice_stale');
		await shiftWaitlist(tx, task.id, 0, over);
		for (const [i, userId] of chosen.entries()) {
			await tx
				.update(taskSignups)
				.set({ status: 'waiting', position: i + 1, claimedAt: null })
				.where(
					and(
						eq(taskSignups.taskId, task.id),
						eq(taskSignups.userId, userId),
						eq(taskSignups.status, 'claimed')
					)
				);
		}
		await tx
			.update(tasks)
			.set({
				capacity,
				taken: sql`${tasks.taken} - ${over}`,
				waiting: sql`${tasks.waiting} + ${over}`
			})
			.where(eq(tasks.id, task.id));
		await notify(tx, eventId, task.id, chosen, 'moved_to_waitlist');
		await publishCounts(tx, task.id, eventId, chosen);
		return { moved: chosen, promoted: [] };
	});
}

/** Marks one of the reader's notices as read. */
export async function dismissNotice(scope: EventScope, noticeId: string): Promise<void> {
	const { actor, teamId, eventId } = scope;
	parseInput(idSchema, noticeId);
	await getDb().transaction(async (tx) => {
		// Notices stay readable (and dismissable) after the event has closed.
		await requireEvent(tx, actor, teamId, eventId);
		const done = await tx
			.update(taskNotices)
			.set({ readAt: sql`now()` })
			.where(
				and(
					eq(taskNotices.id, noticeId),
					eq(taskNotices.userId, actor.userId),
					eq(taskNotices.eventId, eventId)
				)
			)
			.returning({ id: taskNotices.id });
		if (done.length === 0) throw new NotFound('tasks_error_notice_not_found');
	});
}

/**
 * Ends every active sign-up a person holds in the team's open events because they are leaving
 * the team (removed, left, or deleting their account): slots are freed and the line moves up
 * exactly as on a withdrawal, with the same hints. Claims of finished events stay as history.
 * The caller's transaction holds the team lock; events are locked for share and tasks for
 * update, in that order, as the task commands do. The hints go to `later`: the caller
 * publishes them once it takes no more locks (a topic's version row is taken last).
 */
export async function releaseMemberSignups(
	tx: Tx,
	teamId: string,
	userId: string,
	status: 'withdrawn' | 'removed',
	later: LaterHints
): Promise<number> {
	const open = await tx
		.select({ id: events.id })
		.from(events)
		.where(and(eq(events.teamId, teamId), notInArray(events.status, ['completed', 'cancelled'])))
		.orderBy(asc(events.id))
		.for('share');
	if (open.length === 0) return 0;
	const held = await tx
		.select({ taskId: taskSignups.taskId, eventId: taskSignups.eventId })
		.from(taskSignups)
		.where(
			and(
				eq(taskSignups.userId, userId),
				inArray(taskSignups.status, ['claimed', 'waiting']),
				inArray(
					taskSignups.eventId,
					open.map((e) => e.id)
				)
			)
		)
		.orderBy(asc(taskSignups.taskId));
	let released = 0;
	for (const { taskId, eventId } of held) {
		const task = await lockTask(tx, eventId, taskId);
		const signup = await activeSignup(tx, task.id, userId);
		if (!signup) continue;
		const promoted = await release(tx, task, signup, status);
		await publishCounts(tx, task.id, eventId, [userId, ...promoted], later);
		released++;
	}
	return released;
}
