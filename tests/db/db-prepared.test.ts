// On PostgreSQL the app's queries are prepared statements (one round trip each, and those sent
// together share one), inside transactions and savepoints too: Drizzle alone sends them
// unprepared, and postgres.js then spends a second round trip learning the parameters' types.
import { describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { getDb, rowsOf } from '../../src/lib/server/db';
import { users } from '../../src/lib/server/db/schema';
import { isPostgres, useTestDatabase } from './helpers';

useTestDatabase();

const probe = crypto.randomUUID();
/** The prepared statements of the connection this query runs on that carry the probe. */
const preparedHere = sql`select count(*)::int as n from pg_prepared_statements
	where statement like ${'%' + probe + '%'}`;

describe.runIf(isPostgres)('prepared statements (postgres)', () => {
	it('prepares the queries of a transaction, of a savepoint, and outside both', async () => {
		const db = getDb();
		const lookup = (q: typeof db) =>
			q
				.select({ id: users.id })
				.from(users)
				// A parameter (queries without any go as simple queries) and the probe in the text.
				.where(and(eq(users.email, 'nobody@example.com'), sql.raw(`'${probe}' <> ''`)));
		await db.transaction(async (tx) => {
			expect(await lookup(tx as unknown as typeof db)).toEqual([]);
			const [count] = rowsOf<{ n: number }>(await tx.execute(preparedHere));
			expect(count.n).toBeGreaterThanOrEqual(1);
			await tx.transaction(async (inner) => {
				const [again] = rowsOf<{ n: number }>(await inner.execute(preparedHere));
				expect(again.n).toBeGreaterThanOrEqual(1);
			});
		});
		expect(await lookup(db)).toEqual([]);
	});
});
