import { sql } from 'drizzle-orm';
import {
	check,
	index,
	integer,
	pgEnum,
	pgTable,
	primaryKey,
	text,
	time,
	uuid
} from 'drizzle-orm/pg-core';
import { userRef, userOrNull } from './auth';
import { events, eventRef } from './events';
import { instant, updatedAt } from './columns';

/** The service day itself, or the mobilization meeting (动员大会) the evening before. */
export const attendanceSession = pgEnum('attendance_session', ['day', 'meeting']);
export type AttendanceSession = (typeof attendanceSession.enumValues)[number];

/** How a check-in was made: a typed code, the QR link, or a leader's hand. */
export const checkInMethod = pgEnum('check_in_method', ['code', 'link', 'manual']);
export type CheckInMethod = (typeof checkInMethod.enumValues)[number];

/**
 * Per-event settings of the day: the secret the rotating check-in codes are derived from, and
 * the thresholds the board and the incident alerts read (captains may change them).
 */
export const daySettings = pgTable(
	'day_settings',
	{
		eventId: uuid('event_id')
			.primaryKey()
			.references(() => events.id, { onDelete: 'cascade' }),
		codeSecret: text('code_secret').notNull(),
		lateAfterMinutes: integer('late_after_minutes').notNull().default(15),
		meetingTime: time('meeting_time').notNull().default('19:00'),
		escalateAfterMinutes: integer('escalate_after_minutes').notNull().default(5),
		retentionDays: integer('retention_days').notNull().default(90),
		updatedAt: updatedAt()
	},
	(t) => [
		check('day_settings_secret_length', sql`char_length(${t.codeSecret}) >= 32`),
		check('day_settings_late_range', sql`${t.lateAfterMinutes} between 0 and 240`),
		check('day_settings_escalate_range', sql`${t.escalateAfterMinutes} between 1 and 120`),
		check('day_settings_retention_range', sql`${t.retentionDays} between 1 and 3650`)
	]
).enableRLS();

/** One row per person and session: checking in twice finds the row already there. */
export const attendance = pgTable(
	'attendance',
	{
		eventId: eventRef(),
		session: attendanceSession('session').notNull(),
		userId: userRef(),
		checkedInAt: instant('checked_in_at').notNull(),
		method: checkInMethod('method').notNull(),
		checkedInBy: userOrNull('checked_in_by'),
		checkedOutAt: instant('checked_out_at'),
		checkedOutBy: userOrNull('checked_out_by')
	},
	(t) => [
		primaryKey({ name: 'attendance_one_per_session', columns: [t.eventId, t.session, t.userId] }),
		index('attendance_user_idx').on(t.userId),
		check(
			'attendance_out_after_in',
			sql`${t.checkedOutAt} is null or ${t.checkedOutAt} >= ${t.checkedInAt}`
		)
	]
).enableRLS();
