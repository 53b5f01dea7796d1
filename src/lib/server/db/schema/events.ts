import { sql } from 'drizzle-orm';
import {
	check,
	date,
	index,
	integer,
	pgEnum,
	pgTable,
	text,
	time,
	unique,
	uniqueIndex,
	uuid
} from 'drizzle-orm/pg-core';
import { userRef, userOrNull } from './auth';
import { teamRef } from './teams';
import { instant, id, createdAt, updatedAt, trimmedLength } from './columns';

export const eventStatus = pgEnum('event_status', [
	'draft',
	'planned',
	'confirmed',
	'completed',
	'cancelled'
]);
export type EventStatus = (typeof eventStatus.enumValues)[number];

/** A service day. Its date and times are local to `time_zone`. */
export const events = pgTable(
	'events',
	{
		id: id(),
		teamId: teamRef(),
		title: text('title').notNull(),
		theme: text('theme'),
		date: date('date', { mode: 'string' }).notNull(),
		startTime: time('start_time').notNull(),
		endTime: time('end_time').notNull(),
		timeZone: text('time_zone').notNull().default('Asia/Shanghai'),
		communityName: text('community_name'),
		venueName: text('venue_name'),
		venueAddress: text('venue_address'),
		meetingPoint: text('meeting_point'),
		transport: text('transport'),
		expectedChildren: integer('expected_children'),
		teacherName: text('teacher_name'),
		teacherPhone: text('teacher_phone'),
		nearestHospital: text('nearest_hospital'),
		notes: text('notes'),
		/** The adult-to-child ratio groups should keep: one adult per this many children. */
		childrenPerAdult: integer('children_per_adult').notNull().default(5),
		status: eventStatus('status').notNull().default('draft'),
		createdBy: userOrNull('created_by'),
		createdAt: createdAt(),
		updatedAt: updatedAt()
	},
	(t) => [
		index('events_team_date_idx').on(t.teamId, t.date),
		check('events_title_length', trimmedLength(t.title, 1, 120)),
		check('events_times_ordered', sql`${t.endTime} > ${t.startTime}`),
		check('events_children_per_adult_range', sql`${t.childrenPerAdult} between 1 and 20`),
		check(
			'events_expected_children_range',
			sql`${t.expectedChildren} is null or ${t.expectedChildren} between 0 and 1000`
		)
	]
).enableRLS();

/** A row of one event, which goes with the event. */
export const eventRef = () =>
	uuid('event_id')
		.notNull()
		.references(() => events.id, { onDelete: 'cascade' });

/** Preparation checklist: due `days_before` the event's date, so it follows a date change. */
export const checklistItems = pgTable(
	'checklist_items',
	{
		id: id(),
		eventId: eventRef(),
		title: text('title').notNull(),
		daysBefore: integer('days_before').notNull(),
		assigneeId: userOrNull('assignee_id'),
		doneAt: instant('done_at'),
		doneBy: userOrNull('done_by'),
		createdAt: createdAt('inOrder')
	},
	(t) => [
		index('checklist_items_event_idx').on(t.eventId),
		check('checklist_items_title_length', trimmedLength(t.title, 1, 120)),
		check('checklist_items_days_before_range', sql`${t.daysBefore} between 0 and 365`),
		check(
			'checklist_items_done_by_needs_done_at',
			sql`${t.doneBy} is null or ${t.doneAt} is not null`
		)
	]
).enableRLS();

/** Short notices from the captains to the team, newest first. */
export const announcements = pgTable(
	'announcements',
	{
		id: id(),
		eventId: eventRef(),
		authorId: userOrNull('author_id'),
		body: text('body').notNull(),
		createdAt: createdAt()
	},
	(t) => [
		index('announcements_event_created_idx').on(t.eventId, t.createdAt),
		check('announcements_body_length', trimmedLength(t.body, 1, 500))
	]
).enableRLS();

/** A personal calendar subscription: only the SHA-256 of the secret in its URL is kept. */
export const calendarFeeds = pgTable(
	'calendar_feeds',
	{
		id: id(),
		userId: userRef(),
		tokenHash: text('token_hash').notNull(),
		createdAt: createdAt(),
		revokedAt: instant('revoked_at')
	},
	(t) => [
		unique('calendar_feeds_token_hash_unique').on(t.tokenHash),
		// At most one live feed per person; a new one replaces (revokes) the old.
		uniqueIndex('calendar_feeds_one_active_idx')
			.on(t.userId)
			.where(sql`${t.revokedAt} is null`)
	]
).enableRLS();
