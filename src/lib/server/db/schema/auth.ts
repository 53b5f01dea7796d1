import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { instant, id, createdAt, updatedAt, trimmedLength } from './columns';

export const users = pgTable(
	'users',
	{
		id: id(),
		/** Stored lower-cased and trimmed; unique. */
		email: text('email').notNull().unique(),
		displayName: text('display_name').notNull(),
		phone: text('phone'),
		passwordHash: text('password_hash').notNull(),
		createdAt: createdAt(),
		updatedAt: updatedAt(),
		/**
		 * Set when the person deleted their account: the row stays as a tombstone so that the
		 * claims and attendance that name it keep the team's hours and counts right, but the
		 * name, email and phone are gone (see accounts/README.md).
		 */
		deletedAt: instant('deleted_at')
	},
	(t) => [
		check('users_deleted_has_no_phone', sql`${t.deletedAt} is null or ${t.phone} is null`),
		check(
			'users_email_normalized',
			sql`${t.email} = lower(btrim(${t.email})) and ${t.email} like '%_@_%'`
		),
		check('users_display_name_length', trimmedLength(t.displayName, 1, 60))
	]
).enableRLS();

/** A row of one person's, which goes with their row. */
export const userRef = (name = 'user_id') =>
	uuid(name)
		.notNull()
		.references(() => users.id, { onDelete: 'cascade' });

/** Who acted, made or holds something: the row stays, and says nobody, should theirs go. */
export const userOrNull = (name: string) =>
	uuid(name).references(() => users.id, { onDelete: 'set null' });

/** Lucia's recipe: the id is the hex SHA-256 of the token the cookie holds, never the token. */
export const sessions = pgTable(
	'sessions',
	{
		id: text('id').primaryKey(),
		userId: userRef(),
		expiresAt: instant('expires_at').notNull(),
		createdAt: createdAt()
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
		resetAt: instant('reset_at').notNull()
	},
	(t) => [
		primaryKey({ columns: [t.bucket, t.key] }),
		index('rate_limits_reset_at_idx').on(t.resetAt)
	]
).enableRLS();
