// Queries that run on every request, built once per database handle and run with placeholders:
// building a Drizzle select costs more CPU than PostgreSQL takes to answer these small ones.
import type { Queryable } from './index';

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
