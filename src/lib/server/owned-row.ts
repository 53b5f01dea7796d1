// The lookup every domain does before touching one row of an event (or of a task): by id and
// owner together, so an id of another event's row reads as not found, never as that row.
import { and, eq, type InferSelectModel } from 'drizzle-orm';
import type { AnyPgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Queryable } from './db';
import { NotFound, type ErrorCode } from './errors';
import { parseInput } from './validate';
import { idSchema } from '$lib/schemas/common';

/**
 * A lookup of one row of `table` by id and `owner` column: `(db, ownerId, id)` gives the row,
 * else `NotFound(missing)`; a malformed id is the user's mistake (`Invalid`). `lock` takes the
 * row for update.
 */
export function ownedRow<T extends PgTable & { id: AnyPgColumn }>(
	table: T,
	owner: AnyPgColumn,
	missing: ErrorCode,
	lock?: 'update'
) {
	return async (db: Queryable, ownerId: string, id: string): Promise<InferSelectModel<T>> => {
		parseInput(idSchema, id);
		const query = db
			.select()
			.from(table as PgTable)
			.where(and(eq(table.id, id), eq(owner, ownerId)));
		const [row] = await (lock ? query.for(lock) : query);
		if (!row) throw new NotFound(missing);
		return row as InferSelectModel<T>;
	};
}
