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
import { userOrNull } from './auth';
import { eventRef } from './events';
import { eventGroups } from './groups';
import { DONATION_CATEGORIES, DONOR_KINDS, MAX_QUANTITY } from '../../../donation-kinds';
import {
	id,
	createdAt,
	updatedAt,
	sameEventKey,
	trimmedLength,
	optionalTrimmedLength,
	oneOf
} from './columns';

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
		id: id(),
		eventId: eventRef(),
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
		holderId: userOrNull('holder_id'),
		/** The volunteer who said "I will bring …"; null for donations a leader recorded. */
		pledgedBy: userOrNull('pledged_by'),
		createdBy: userOrNull('created_by'),
		createdAt: createdAt('inOrder'),
		updatedAt: updatedAt()
	},
	(t) => [
		index('donations_event_idx').on(t.eventId, t.category),
		unique('donations_id_event_unique').on(t.id, t.eventId),
		check('donations_category_known', oneOf('category', DONATION_CATEGORIES)),
		check('donations_donor_kind_known', oneOf('donor_kind', DONOR_KINDS)),
		check('donations_description_length', trimmedLength(t.description, 1, 120)),
		check('donations_unit_length', trimmedLength(t.unit, 1, 10)),
		check('donations_donor_name_length', optionalTrimmedLength(t.donorName, 1, 60)),
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
		updatedAt: updatedAt()
	},
	(t) => [
		primaryKey({ name: 'donation_allocations_pk', columns: [t.donationId, t.groupId] }),
		index('donation_allocations_group_idx').on(t.groupId),
		sameEventKey('donation_allocations_donation_fk', t.donationId, t.eventId, donations),
		sameEventKey('donation_allocations_group_fk', t.groupId, t.eventId, eventGroups),
		check(
			'donation_allocations_allocated_range',
			sql.raw(`allocated between 0 and ${MAX_QUANTITY}`)
		),
		check('donation_allocations_distributed_nonnegative', sql`${t.distributed} >= 0`)
	]
).enableRLS();
