import { sql } from 'drizzle-orm';
import {
	check,
	index,
	integer,
	pgTable,
	primaryKey,
	text,
	time,
	unique,
	uuid
} from 'drizzle-orm/pg-core';
import { eventRef } from './events';
import { eventGroups } from './groups';
import { AGENDA_KINDS } from '../../../agenda-kinds';
import { id, createdAt, sameEventKey, trimmedLength, oneOf } from './columns';

export { AGENDA_KINDS, type AgendaKind } from '../../../agenda-kinds';

/** The run of show (活动流程): items at a local time of the event's day, in its time zone. */
export const agendaItems = pgTable(
	'agenda_items',
	{
		id: id(),
		eventId: eventRef(),
		startTime: time('start_time').notNull(),
		durationMinutes: integer('duration_minutes').notNull(),
		title: text('title').notNull(),
		kind: text('kind').notNull().default('other'),
		place: text('place'),
		createdAt: createdAt('inOrder')
	},
	(t) => [
		index('agenda_items_event_start_idx').on(t.eventId, t.startTime),
		unique('agenda_items_id_event_unique').on(t.id, t.eventId),
		check('agenda_items_title_length', trimmedLength(t.title, 1, 120)),
		check('agenda_items_duration_range', sql`${t.durationMinutes} between 1 and 720`),
		check('agenda_items_kind_known', oneOf('kind', AGENDA_KINDS))
	]
).enableRLS();

/** Which groups an item is for; none means the whole team. Both sides belong to one event. */
export const agendaItemGroups = pgTable(
	'agenda_item_groups',
	{
		eventId: uuid('event_id').notNull(),
		itemId: uuid('item_id').notNull(),
		groupId: uuid('group_id').notNull()
	},
	(t) => [
		primaryKey({ columns: [t.itemId, t.groupId] }),
		index('agenda_item_groups_group_idx').on(t.groupId),
		sameEventKey('agenda_item_groups_item_fk', t.itemId, t.eventId, agendaItems),
		sameEventKey('agenda_item_groups_group_fk', t.groupId, t.eventId, eventGroups)
	]
).enableRLS();
