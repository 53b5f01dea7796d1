import { bigint, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Process-wide settings generated once and shared by every instance through the database,
 * for example the realtime anon key and JWT secret in self mode.
 */
export const appSetting = pgTable('app_setting', {
	key: text('key').primaryKey(),
	value: text('value').notNull(),
	createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
}).enableRLS();

/**
 * Per realtime topic, the version of its last hint: `publish` bumps it in the writing
 * transaction, so hints of one topic are numbered 1, 2, 3… in commit order on every instance
 * and a page that sees a number skipped knows it missed one.
 */
export const realtimeTopicVersions = pgTable('realtime_topic_versions', {
	topic: text('topic').primaryKey(),
	version: bigint('version', { mode: 'number' }).notNull()
}).enableRLS();
