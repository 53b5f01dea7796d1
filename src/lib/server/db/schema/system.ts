import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Process-wide settings generated once and shared by every instance through the database,
 * for example the realtime anon key and JWT secret in self mode.
 */
export const appSetting = pgTable('app_setting', {
	key: text('key').primaryKey(),
	value: text('value').notNull(),
	createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
}).enableRLS();
