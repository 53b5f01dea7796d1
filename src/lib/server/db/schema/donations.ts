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
import { eventGroups } from './groups';
import { DONATION_CATEGORIES, DONOR_KINDS, MAX_QUANTITY } from '../../../donation-kinds';

const oneOf = (column: string, values: readonly string[]) =>
	sql.raw(`${column} in (${values.map((v) => `'${v}'`).join(', ')})`);

/**
 * Donated items of an event, one row per kind of item from one donor. Quantities only grow
 * through atomic conditional updates, and the checks hold them in order even against a faulty
 * writer: 0 ≤ distributed ≤ received (received may pass the pledge only when staff confirm it;
 * the pledge stays what was promised). A volunteer's pledge is a row with
 * `pledged_by` set, counted as pledged until a leader records it received.
 */
export const donations = pgTable(
	'donations',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		eventId: uuid('event_id')
			.notNull()
			.references(() => events.id, { onDelete: 'cascade' }),
		category: text('category').notNull(),
		description: text('description').notNull(),
		unit: text('unit').notNull(),
		/** Null: anonymous. */
		donorName: text('donor_name'),
		donorKind: text('donor_kind').notNull().default('other'),
		pledged: integer('pledged').notNull(),
		received: integer('received').notNull().default(0),
		distributed: integer('distributed').notNull().default(0),
		/** Who has the items now (a team member), until they are handed out. */
		holderId: uuid('holder_id').references(() => users.id, { onDelete: 'set null' }),
		/** The volunteer who said "I will bring …"; null for donations a leader recorded. */
		pledgedBy: uuid('pledged_by').references(() => users.id, { onDelete: 'set null' }),
		createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().default(INSERT_ORDER),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('donations_event_idx').on(t.eventId, t.category),
		unique('donations_id_event_unique').on(t.id, t.eventId),
		check('donations_category_known', oneOf('category', DONATION_CATEGORIES)),
		check('donations_donor_kind_known', oneOf('donor_kind', DONOR_KINDS)),
		check(
			'donations_description_length',
			sql`char_length(btrim(${t.description})) between 1 and 120`
		),
		check('donations_unit_length', sql`char_length(btrim(${t.unit})) between 1 and 10`),
		check(
			'donations_donor_name_length',
			sql`${t.donorName} is null or char_length(btrim(${t.donorName})) between 1 and 60`
		),
		check('donations_pledged_range', sql.raw(`pledged between 1 and ${MAX_QUANTITY}`)),
		check('donations_received_range', sql.raw(`received between 0 and ${MAX_QUANTITY}`)),
		check(
			'donations_distributed_within_received',
			sql`${t.distributed} between 0 and ${t.received}`
		)
	]
).enableRLS();

/**
 * The hand-out plan: how many of a donation each group gets, and how many it has handed out.
 * The donation's own `distributed` is the sum that the constraint above bounds.
 */
export const donationAllocations = pgTable(
	'donation_allocations',
	{
		donationId: uuid('donation_id').notNull(),
		eventId: uuid('event_id').notNull(),
		groupId: uuid('group_id').notNull(),
		allocated: integer('allocated').notNull().default(0),
		distributed: integer('distributed').notNull().default(0),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		primaryKey({ name: 'donation_allocations_pk', columns: [t.donationId, t.groupId] }),
		index('donation_allocations_group_idx').on(t.groupId),
		foreignKey({
			name: 'donation_allocations_donation_fk',
			columns: [t.donationId, t.eventId],
			foreignColumns: [donations.id, donations.eventId]
		}).onDelete('cascade'),
		foreignKey({
			name: 'donation_allocations_group_fk',
			columns: [t.groupId, t.eventId],
			foreignColumns: [eventGroups.id, eventGroups.eventId]
		}).onDelete('cascade'),
		check(
			'donation_allocations_allocated_range',
			sql.raw(`allocated between 0 and ${MAX_QUANTITY}`)
		),
		check('donation_allocations_distributed_nonnegative', sql`${t.distributed} >= 0`)
	]
).enableRLS();
