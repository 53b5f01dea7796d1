import { sql, type SQL } from 'drizzle-orm';
import { foreignKey, timestamp, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';

// The column sets and checks many tables share, spread into each table (Drizzle's own idiom
// for common columns). Every helper returns a new builder: a builder may serve one table only.
// This module imports no table, so any schema module may use it without an import cycle; the
// references to a parent table live beside that table (`eventId()` in events.ts, …).

/**
 * `now()` is fixed for a transaction; `clock_timestamp()` moves on for every row, so rows
 * written together (a template, a copy) keep the order they were written in.
 */
export const INSERT_ORDER = sql`clock_timestamp()`;

/** Every instant the schema keeps is a `timestamptz`. */
export const instant = (name: string) => timestamp(name, { withTimezone: true });

export const id = () => uuid('id').primaryKey().defaultRandom();

/** When the row was written; `inOrder` for rows listed in the order they were made. */
export const createdAt = (order: 'now' | 'inOrder' = 'now') =>
	order === 'now'
		? instant('created_at').notNull().defaultNow()
		: instant('created_at').notNull().default(INSERT_ORDER);

export const updatedAt = () => instant('updated_at').notNull().defaultNow();

/**
 * A composite key to a row of the same event: the parent's unique (id, event_id) makes a row
 * that names, say, a group of another event impossible.
 */
export function sameEventKey(
	name: string,
	column: AnyPgColumn,
	eventId: AnyPgColumn,
	parent: { id: AnyPgColumn; eventId: AnyPgColumn }
) {
	return foreignKey({
		name,
		columns: [column, eventId],
		foreignColumns: [parent.id, parent.eventId]
	}).onDelete('cascade');
}

const literal = (value: number) => sql.raw(String(value));

/** Text a person typed: trimmed, it holds from `min` to `max` characters. */
export const trimmedLength = (column: AnyPgColumn, min: number, max: number): SQL =>
	sql`char_length(btrim(${column})) between ${literal(min)} and ${literal(max)}`;

/** Optional typed text: null, or trimmed from `min` to `max` characters. */
export const optionalTrimmedLength = (column: AnyPgColumn, min: number, max: number): SQL =>
	sql`${column} is null or ${trimmedLength(column, min, max)}`;

/** Optional text of at most `max` characters. */
export const optionalMaxLength = (column: AnyPgColumn, max: number): SQL =>
	sql`${column} is null or char_length(${column}) <= ${literal(max)}`;

/** The SQL list of a set of known values, for `in (…)` checks. */
export const quoted = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');

/** A text column that holds one of the values the app knows (its `*-kinds.ts` list). */
export const oneOf = (column: string, values: readonly string[]) =>
	sql.raw(`${column} in (${quoted(values)})`);
