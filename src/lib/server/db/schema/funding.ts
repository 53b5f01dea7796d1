import { sql } from 'drizzle-orm';
import {
	check,
	date,
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
import { EXPENSE_CATEGORIES, INCOME_CATEGORIES, MAX_FEN } from '../../../donation-kinds';

const quoted = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');
/** A category belongs to its direction: "printing" is never income. */
const categoryMatchesDirection = sql.raw(
	`(direction = 'income' and category in (${quoted(INCOME_CATEGORIES)})) or ` +
		`(direction = 'expense' and category in (${quoted(EXPENSE_CATEGORIES)}))`
);

/** The funding ledger of an event. Amounts are integer fen (分), always positive. */
export const fundingEntries = pgTable(
	'funding_entries',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		eventId: uuid('event_id')
			.notNull()
			.references(() => events.id, { onDelete: 'cascade' }),
		direction: text('direction').notNull(),
		category: text('category').notNull(),
		amountFen: integer('amount_fen').notNull(),
		occurredOn: date('occurred_on', { mode: 'string' }).notNull(),
		note: text('note'),
		receiptRef: text('receipt_ref'),
		createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().default(INSERT_ORDER)
	},
	(t) => [
		index('funding_entries_event_idx').on(t.eventId, t.occurredOn),
		check('funding_entries_category_known', categoryMatchesDirection),
		check('funding_entries_amount_range', sql.raw(`amount_fen between 1 and ${MAX_FEN}`)),
		check('funding_entries_note_length', sql`${t.note} is null or char_length(${t.note}) <= 200`),
		check(
			'funding_entries_receipt_length',
			sql`${t.receiptRef} is null or char_length(${t.receiptRef}) <= 60`
		)
	]
).enableRLS();

/** What the team plans to raise or spend per category. */
export const fundingBudgets = pgTable(
	'funding_budgets',
	{
		eventId: uuid('event_id')
			.notNull()
			.references(() => events.id, { onDelete: 'cascade' }),
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
		id: uuid('id').primaryKey().defaultRandom(),
		eventId: uuid('event_id')
			.notNull()
			.references(() => events.id, { onDelete: 'cascade' }),
		name: text('name').notNull(),
		thanks: text('thanks').notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().default(INSERT_ORDER)
	},
	(t) => [
		unique('sponsors_event_name_unique').on(t.eventId, t.name),
		check('sponsors_name_length', sql`char_length(btrim(${t.name})) between 1 and 80`),
		check('sponsors_thanks_length', sql`char_length(btrim(${t.thanks})) between 1 and 200`)
	]
).enableRLS();
