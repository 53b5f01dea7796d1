import { sql } from 'drizzle-orm';
import {
	boolean,
	check,
	date,
	index,
	integer,
	pgTable,
	primaryKey,
	text,
	time,
	unique,
	uniqueIndex,
	uuid
} from 'drizzle-orm/pg-core';
import { users, userRef, userOrNull } from './auth';
import { eventRef } from './events';
import { eventGroups } from './groups';
import { agendaItems } from './agenda';
import { NOTICE_KINDS, READINESS, SIGNUP_STATUSES, TASK_KINDS } from '../../../task-kinds';
import {
	instant,
	id,
	createdAt,
	sameEventKey,
	trimmedLength,
	optionalTrimmedLength,
	optionalMaxLength,
	oneOf
} from './columns';

/**
 * Work of an event that volunteers claim. `taken` and `waiting` count the active sign-ups; they
 * change only while the row is locked (`for update`), and the checks make overbooking
 * impossible even for a faulty writer: `taken` never exceeds `capacity`.
 */
export const tasks = pgTable(
	'tasks',
	{
		id: id(),
		eventId: eventRef(),
		kind: text('kind').notNull().default('other'),
		title: text('title').notNull(),
		description: text('description'),
		groupId: uuid('group_id').references(() => eventGroups.id, { onDelete: 'set null' }),
		agendaItemId: uuid('agenda_item_id').references(() => agendaItems.id, {
			onDelete: 'set null'
		}),
		place: text('place'),
		date: date('date', { mode: 'string' }).notNull(),
		startTime: time('start_time').notNull(),
		endTime: time('end_time').notNull(),
		capacity: integer('capacity').notNull(),
		taken: integer('taken').notNull().default(0),
		waiting: integer('waiting').notNull().default(0),
		/** Popular tasks open for sign-up at a set instant; captains and leaders may assign before. */
		signupOpensAt: instant('signup_opens_at'),
		readiness: text('readiness').notNull().default('idea'),
		approvedBy: userOrNull('approved_by'),
		approvedAt: instant('approved_at'),
		createdBy: userOrNull('created_by'),
		createdAt: createdAt('inOrder')
	},
	(t) => [
		index('tasks_event_idx').on(t.eventId, t.date, t.startTime),
		index('tasks_group_idx').on(t.groupId),
		unique('tasks_id_event_unique').on(t.id, t.eventId),
		check('tasks_title_length', trimmedLength(t.title, 1, 120)),
		check('tasks_description_length', optionalMaxLength(t.description, 1000)),
		check('tasks_place_length', optionalMaxLength(t.place, 120)),
		check('tasks_kind_known', oneOf('kind', TASK_KINDS)),
		check('tasks_readiness_known', oneOf('readiness', READINESS)),
		check('tasks_times_ordered', sql`${t.endTime} > ${t.startTime}`),
		check('tasks_capacity_range', sql`${t.capacity} between 1 and 500`),
		check('tasks_taken_within_capacity', sql`${t.taken} between 0 and ${t.capacity}`),
		check('tasks_waiting_nonnegative', sql`${t.waiting} >= 0`),
		check(
			'tasks_approval_recorded',
			sql`(${t.readiness} = 'approved') = (${t.approvedAt} is not null)`
		)
	]
).enableRLS();

/** A row of one task, which goes with the task. */
const taskRef = () =>
	uuid('task_id')
		.notNull()
		.references(() => tasks.id, { onDelete: 'cascade' });

/**
 * A claim or a place on a task's waitlist. One active row per person and task; waitlist
 * positions are unique per task (and kept 1..n by the commands). Rows are never deleted by
 * the commands: withdrawn and removed ones stay as history.
 */
export const taskSignups = pgTable(
	'task_signups',
	{
		id: id(),
		eventId: uuid('event_id').notNull(),
		taskId: uuid('task_id').notNull(),
		// Restrict: deleting a person must release their slots first (the counters would drift).
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'restrict' }),
		status: text('status').notNull(),
		position: integer('position'),
		assignedBy: userOrNull('assigned_by'),
		createdAt: createdAt('inOrder'),
		claimedAt: instant('claimed_at'),
		endedAt: instant('ended_at')
	},
	(t) => [
		sameEventKey('task_signups_task_fk', t.taskId, t.eventId, tasks),
		uniqueIndex('task_signups_one_active_idx')
			.on(t.taskId, t.userId)
			.where(sql`${t.status} in ('claimed', 'waiting')`),
		unique('task_signups_position_unique').on(t.taskId, t.position),
		index('task_signups_user_idx').on(t.userId, t.status),
		index('task_signups_event_idx').on(t.eventId),
		check('task_signups_status_known', oneOf('status', SIGNUP_STATUSES)),
		check(
			'task_signups_position_iff_waiting',
			sql`(${t.status} = 'waiting') = (${t.position} is not null)`
		)
	]
).enableRLS();

/**
 * Idempotency keys of claim forms, unique per person. A repeat of a key gets the stored
 * outcome, never a second claim.
 */
export const taskClaimKeys = pgTable(
	'task_claim_keys',
	{
		userId: userRef(),
		key: uuid('key').notNull(),
		taskId: taskRef(),
		signupId: uuid('signup_id').references(() => taskSignups.id, { onDelete: 'cascade' }),
		status: text('status'),
		position: integer('position'),
		createdAt: createdAt()
	},
	(t) => [
		primaryKey({ name: 'task_claim_keys_pk', columns: [t.userId, t.key] }),
		index('task_claim_keys_task_idx').on(t.taskId)
	]
).enableRLS();

/** In-app notices about sign-ups. They name a task and a person, never free text. */
export const taskNotices = pgTable(
	'task_notices',
	{
		id: id(),
		userId: userRef(),
		eventId: eventRef(),
		taskId: uuid('task_id').references(() => tasks.id, { onDelete: 'cascade' }),
		kind: text('kind').notNull(),
		/** Who the notice is about (the one who withdrew late), when not the reader. */
		subjectId: uuid('subject_id').references(() => users.id, { onDelete: 'cascade' }),
		createdAt: createdAt('inOrder'),
		readAt: instant('read_at')
	},
	(t) => [
		index('task_notices_user_event_idx').on(t.userId, t.eventId),
		check('task_notices_kind_known', oneOf('kind', NOTICE_KINDS))
	]
).enableRLS();

/** A performance's props and costumes (道具 / 服装): what, who brings it, done. */
export const performanceItems = pgTable(
	'performance_items',
	{
		id: id(),
		taskId: taskRef(),
		item: text('item').notNull(),
		bringerId: userOrNull('bringer_id'),
		isDone: boolean('is_done').notNull().default(false),
		createdAt: createdAt('inOrder')
	},
	(t) => [
		index('performance_items_task_idx').on(t.taskId),
		check('performance_items_item_length', trimmedLength(t.item, 1, 80))
	]
).enableRLS();

/** A performance's rehearsal log (彩排): a date and a short note. */
export const rehearsals = pgTable(
	'rehearsals',
	{
		id: id(),
		taskId: taskRef(),
		date: date('date', { mode: 'string' }).notNull(),
		/** Null once erased: a set time after the event (DOMAIN.md: notes may name children). */
		note: text('note'),
		authorId: userOrNull('author_id'),
		createdAt: createdAt('inOrder')
	},
	(t) => [
		index('rehearsals_task_idx').on(t.taskId, t.date),
		check('rehearsals_note_length', optionalTrimmedLength(t.note, 1, 500))
	]
).enableRLS();
