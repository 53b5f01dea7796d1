import { sql } from 'drizzle-orm';
import {
	check,
	foreignKey,
	index,
	integer,
	pgTable,
	primaryKey,
	text,
	time,
	timestamp,
	unique,
	uuid
} from 'drizzle-orm/pg-core';
import { events, INSERT_ORDER } from './events';
import { eventGroups } from './groups';

import { AGENDA_KINDS } from '../../../agenda-kinds';

export { AGENDA_KINDS, type AgendaKind } from '../../../agenda-kinds';

/** The run of show (活动流程): items at a local time of the event's day, in its time zone. */
export const agendaItems = pgTable(
	'agenda_items',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		eventId: uuid('event_id')
			.notNull()
			.references(() => events.id, { onDelete: 'cascade' }),
		startTime: time('start_time').notNull(),
		durationMinutes: integer('duration_minutes').notNull(),
		title: text('title').notNull(),
		kind: text('kind').notNull().default('other'),
		place: text('place'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().default(INSERT_ORDER)
	},
	(t) => [
		index('agenda_items_event_start_idx').on(t.eventId, t.startTime),
		unique('agenda_items_id_event_unique').on(t.id, t.eventId),
		check('agenda_items_title_length', sql`char_length(btrim(${t.title})) between 1 and 120`),
		check('agenda_items_duration_range', sql`${t.durationMinutes} between 1 and 720`),
		check(
			'agenda_items_kind_known',
			sql.raw(`kind in (${AGENDA_KINDS.map((k) => `'${k}'`).join(', ')})`)
		)
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
		foreignKey({
			name: 'agenda_item_groups_item_fk',
			columns: [t.itemId, t.eventId],
			foreignColumns: [agendaItems.id, agendaItems.eventId]
		}).onDelete('cascade'),
		foreignKey({
			name: 'agenda_item_groups_group_fk',
			columns: [t.groupId, t.eventId],
			foreignColumns: [eventGroups.id, eventGroups.eventId]
		}).onDelete('cascade')
	]
).enableRLS();
