import { sql } from 'drizzle-orm';
import { bigint, index, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { instant, createdAt } from './columns';

/**
 * Process-wide settings generated once and shared by every instance through the database,
 * for example the realtime anon key and JWT secret in self mode.
 */
export const appSetting = pgTable('app_setting', {
	key: text('key').primaryKey(),
	value: text('value').notNull(),
	createdAt: createdAt()
}).enableRLS();

/**
 * Per realtime topic, the version of its last hint: `publish` bumps it in the writing
 * transaction, so hints of one topic are numbered 1, 2, 3… in commit order on every instance
 * and a page that sees a number skipped knows it missed one.
 *
 * In supabase mode also the topic's coalescing (`tongxing_publish_hint`): when its last message
 * went out, and the hints merged since, waiting for `REALTIME_TOPIC_MAX_RATE` to pass.
 */
export const realtimeTopicVersions = pgTable(
	'realtime_topic_versions',
	{
		topic: text('topic').primaryKey(),
		version: bigint('version', { mode: 'number' }).notNull(),
		sentAt: instant('sent_at'),
		pending: jsonb('pending')
	},
	(t) => [
		index('realtime_topic_versions_pending')
			.on(t.topic)
			.where(sql`${t.pending} is not null`)
	]
).enableRLS();
