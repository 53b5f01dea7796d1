import { sql } from 'drizzle-orm';
import {
	check,
	index,
	integer,
	pgTable,
	primaryKey,
	text,
	unique,
	uuid
} from 'drizzle-orm/pg-core';
import { userRef, userOrNull } from './auth';
import { eventRef } from './events';
import { instant, id, createdAt, sameEventKey, trimmedLength } from './columns';

/**
 * The groups (小组) of one event. Children are only counted: a head count and an age range,
 * never anything that names a child.
 */
export const eventGroups = pgTable(
	'event_groups',
	{
		id: id(),
		eventId: eventRef(),
		name: text('name').notNull(),
		colour: text('colour').notNull(),
		leaderId: userOrNull('leader_id'),
		childrenCount: integer('children_count').notNull().default(0),
		ageMin: integer('age_min'),
		ageMax: integer('age_max'),
		createdAt: createdAt('inOrder')
	},
	(t) => [
		unique('event_groups_event_name_unique').on(t.eventId, t.name),
		// The target of the composite keys below: a row that names a group names its event too.
		unique('event_groups_id_event_unique').on(t.id, t.eventId),
		index('event_groups_leader_idx').on(t.leaderId),
		check('event_groups_name_length', trimmedLength(t.name, 1, 40)),
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
		userId: userRef(),
		addedAt: instant('added_at').notNull().defaultNow()
	},
	(t) => [
		primaryKey({ name: 'group_members_one_group_per_event', columns: [t.eventId, t.userId] }),
		index('group_members_group_idx').on(t.groupId),
		sameEventKey('group_members_group_fk', t.groupId, t.eventId, eventGroups)
	]
).enableRLS();
