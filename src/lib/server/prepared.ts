// Queries that run on every request, built once per database (or transaction) and run with
// placeholders. Building a Drizzle select costs more CPU than PostgreSQL takes to answer these
// small ones; a prepared query keeps its SQL text, and postgres.js then also keeps the server-
// side statement per connection (unless DATABASE_PREPARE=false, as on a transaction pooler).
import type { Queryable } from './db';

export function prepared<Q>(build: (db: Queryable) => Q): (db: Queryable) => Q {
	const byDb = new WeakMap<Queryable, Q>();
	return (db) => {
		let query = byDb.get(db);
		if (query === undefined) {
			query = build(db);
			byDb.set(db, query);
		}
		return query;
	};
}
