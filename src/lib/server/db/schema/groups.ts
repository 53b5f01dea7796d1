import { sql } from 'drizzle-orm';
import {
	check,
	foreignKey,
	index,
	integer,
	pgTable,
	primaryKey,
	text,
	timestamp,
	unique,
	uuid
} from 'drizzle-orm/pg-core';
import { users } from './auth';
import { events, INSERT_ORDER } from './events';

/**
 * The groups (小组) of one event. Children are only counted: a head count and an age range,
 * never anything that names a child.
 */
export const eventGroups = pgTable(
	'event_groups',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		eventId: uuid('event_id')
			.notNull()
			.references(() => events.id, { onDelete: 'cascade' }),
		name: text('name').notNull(),
		colour: text('colour').notNull(),
		leaderId: uuid('leader_id').references(() => users.id, { onDelete: 'set null' }),
		childrenCount: integer('children_count').notNull().default(0),
		ageMin: integer('age_min'),
		ageMax: integer('age_max'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().default(INSERT_ORDER)
	},
	(t) => [
		unique('event_groups_event_name_unique').on(t.eventId, t.name),
		// The target of the composite keys below: a row that names a group names its event too.
		unique('event_groups_id_event_unique').on(t.id, t.eventId),
		index('event_groups_leader_idx').on(t.leaderId),
		check('event_groups_name_length', sql`char_length(btrim(${t.name})) between 1 and 40`),
		check('event_groups_colour_hex', sql`${t.colour} ~ '^#[0-9a-f]{6}$'`),
		check('event_groups_children_range', sql`${t.childrenCount} between 0 and 500`),
		check(
			'event_groups_ages',
			sql`(${t.ageMin} is null or ${t.ageMin} between 0 and 18) and (${t.ageMax} is null or ${t.ageMax} between 0 and 18) and (${t.ageMin} is null or ${t.ageMax} is null or ${t.ageMin} <= ${t.ageMax})`
		)
	]
).enableRLS();

/** The primary key (event, user) is the rule: a member belongs to at most one group per event. */
export const groupMembers = pgTable(
	'group_members',
	{
		eventId: uuid('event_id').notNull(),
		groupId: uuid('group_id').notNull(),
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		addedAt: timestamp('added_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		primaryKey({ name: 'group_members_one_group_per_event', columns: [t.eventId, t.userId] }),
		index('group_members_group_idx').on(t.groupId),
		foreignKey({
			name: 'group_members_group_fk',
			columns: [t.groupId, t.eventId],
			foreignColumns: [eventGroups.id, eventGroups.eventId]
		}).onDelete('cascade')
	]
).enableRLS();
