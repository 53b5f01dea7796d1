import { sql } from 'drizzle-orm';
import {
	check,
	index,
	integer,
	pgTable,
	primaryKey,
	text,
	timestamp,
	uuid
} from 'drizzle-orm/pg-core';

export const users = pgTable(
	'users',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		/** Stored lower-cased and trimmed; unique. */
		email: text('email').notNull().unique(),
		displayName: text('display_name').notNull(),
		phone: text('phone'),
		passwordHash: text('password_hash').notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
		/**
		 * Set when the person deleted their account: the row stays as a tombstone so that the
		 * claims and attendance that name it keep the team's hours and counts right, but the
		 * name, email and phone are gone (see accounts/README.md).
		 */
		deletedAt: timestamp('deleted_at', { withTimezone: true })
	},
	(t) => [
		check('users_deleted_has_no_phone', sql`${t.deletedAt} is null or ${t.phone} is null`),
		check(
			'users_email_normalized',
			sql`${t.email} = lower(btrim(${t.email})) and ${t.email} like '%_@_%'`
		),
		check('users_display_name_length', sql`char_length(btrim(${t.displayName})) between 1 and 60`)
	]
).enableRLS();

/** Lucia's recipe: the id is the hex SHA-256 of the token the cookie holds, never the token. */
export const sessions = pgTable(
	'sessions',
	{
		id: text('id').primaryKey(),
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('sessions_user_id_idx').on(t.userId),
		check('sessions_id_is_sha256_hex', sql`${t.id} ~ '^[0-9a-f]{64}$'`)
	]
).enableRLS();

/**
 * One limiter for every guarded action, shared by all instances and surviving restarts:
 * a counter per (bucket, key) that starts again once `reset_at` has passed.
 */
export const rateLimits = pgTable(
	'rate_limits',
	{
		bucket: text('bucket').notNull(),
		key: text('key').notNull(),
		count: integer('count').notNull().default(0),
		resetAt: timestamp('reset_at', { withTimezone: true }).notNull()
	},
	(t) => [
		primaryKey({ columns: [t.bucket, t.key] }),
		index('rate_limits_reset_at_idx').on(t.resetAt)
	]
).enableRLS();
