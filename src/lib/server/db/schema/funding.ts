import { sql } from 'drizzle-orm';
import {
	check,
	date,
	index,
	integer,
	pgTable,
	primaryKey,
	text,
	unique
} from 'drizzle-orm/pg-core';
import { userOrNull } from './auth';
import { eventRef } from './events';
import { EXPENSE_CATEGORIES, INCOME_CATEGORIES, MAX_FEN } from '../../../donation-kinds';
import { id, createdAt, trimmedLength, optionalMaxLength, quoted } from './columns';

/** A category belongs to its direction: "printing" is never income. */
const categoryMatchesDirection = sql.raw(
	`(direction = 'income' and category in (${quoted(INCOME_CATEGORIES)})) or ` +
		`(direction = 'expense' and category in (${quoted(EXPENSE_CATEGORIES)}))`
);

/** The funding ledger of an event. Amounts are integer fen (分), always positive. */
export const fundingEntries = pgTable(
	'funding_entries',
	{
		id: id(),
		eventId: eventRef(),
		direction: text('direction').notNull(),
		category: text('category').notNull(),
		amountFen: integer('amount_fen').notNull(),
		occurredOn: date('occurred_on', { mode: 'string' }).notNull(),
		note: text('note'),
		receiptRef: text('receipt_ref'),
		createdBy: userOrNull('created_by'),
		createdAt: createdAt('inOrder')
	},
	(t) => [
		index('funding_entries_event_idx').on(t.eventId, t.occurredOn),
		check('funding_entries_category_known', categoryMatchesDirection),
		check('funding_entries_amount_range', sql.raw(`amount_fen between 1 and ${MAX_FEN}`)),
		check('funding_entries_note_length', optionalMaxLength(t.note, 200)),
		check('funding_entries_receipt_length', optionalMaxLength(t.receiptRef, 60))
	]
).enableRLS();

/** What the team plans to raise or spend per category. */
export const fundingBudgets = pgTable(
	'funding_budgets',
	{
		eventId: eventRef(),
		direction: text('direction').notNull(),
		category: text('category').notNull(),
		amountFen: integer('amount_fen').notNull()
	},
	(t) => [
		primaryKey({ name: 'funding_budgets_pk', columns: [t.eventId, t.direction, t.category] }),
		check('funding_budgets_category_known', categoryMatchesDirection),
		check('funding_budgets_amount_range', sql.raw(`amount_fen between 0 and ${MAX_FEN}`))
	]
).enableRLS();

/** Sponsors of an event, each with the thank-you line the summary prints. */
export const sponsors = pgTable(
	'sponsors',
	{
		id: id(),
		eventId: eventRef(),
		name: text('name').notNull(),
		thanks: text('thanks').notNull(),
		createdAt: createdAt('inOrder')
	},
	(t) => [
		unique('sponsors_event_name_unique').on(t.eventId, t.name),
		check('sponsors_name_length', trimmedLength(t.name, 1, 80)),
		check('sponsors_thanks_length', trimmedLength(t.thanks, 1, 200))
	]
).enableRLS();
