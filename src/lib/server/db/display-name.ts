// The name shown for a user a row points at (a holder, an author, who ticked it off): one
// expression in the select instead of an alias of `users` and a left join per person named.
import { sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { users } from './schema';

/** Null when the column is null, as a left join would give; a primary-key lookup per row. */
export function displayNameOf(userId: AnyPgColumn): SQL<string | null> {
	return sql<
		string | null
	>`(select ${users.displayName} from ${users} where ${users.id} = ${userId})`;
}
