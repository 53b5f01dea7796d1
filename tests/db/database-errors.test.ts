// Database errors that no domain module expected, raised by the real database (PGlite, and
// PostgreSQL in db-pg): a form answers them in the user's language with what was typed, and
// only a bug stays a 500.
import { describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import postgres from 'postgres';
import { isHttpError } from '@sveltejs/kit';
import { getDb } from '../../src/lib/server/db';
import { appSetting } from '../../src/lib/server/db/schema';
import { action, jsonError, rethrow } from '../../src/lib/server/forms';
import * as m from '../../src/lib/paraglide/messages';
import { useTestDatabase } from './helpers';

useTestDatabase();

const typed = { title: '周末辅导', note: '带上笔' };

describe('database errors', () => {
	it('a value the database refuses is a 400 that keeps what was typed', async () => {
		const answer = await action(typed, () => getDb().execute(sql`select 'not-a-uuid'::uuid`));
		expect(answer).toMatchObject({
			status: 400,
			data: { message: m.error_invalid(), values: typed }
		});
		const divided = await action(typed, () => getDb().execute(sql`select 1 / 0`));
		expect(divided).toMatchObject({ status: 400 });
	});

	it('a unique violation (a change in between) is a 409 conflict', async () => {
		const key = `test.${crypto.randomUUID()}`;
		const answer = await action(typed, () =>
			getDb().execute(sql`insert into app_setting (key, value) values (${key}, 'a'), (${key}, 'b')`)
		);
		expect(answer).toMatchObject({ status: 409, data: { message: m.error_conflict() } });
		// Nothing was written: the statement failed as a whole.
		const rows = await getDb().select().from(appSetting).where(eq(appSetting.key, key));
		expect(rows).toHaveLength(0);
	});

	it('an unreachable database is a 503 that says to try again, in a load and an endpoint too', async () => {
		// Port 1 on this machine: nothing listens there, the connection is refused.
		const gone = postgres('postgres://postgres@127.0.0.1:1/none', {
			max: 1,
			connect_timeout: 2,
			onnotice: () => {}
		});
		try {
			const query = () => gone`select 1`;
			const answer = await action(typed, query);
			expect(answer).toMatchObject({
				status: 503,
				data: { message: m.error_unavailable(), values: typed }
			});
			const thrown = await query().then(
				() => expect.unreachable('the query should fail'),
				(err: unknown) => err
			);
			try {
				rethrow(thrown);
			} catch (err) {
				expect(isHttpError(err) && err.status).toBe(503);
			}
			const response = jsonError(thrown);
			expect(response.status).toBe(503);
			expect(await response.json()).toMatchObject({ error: 'unavailable' });
		} finally {
			await gone.end({ timeout: 1 });
		}
	});

	it('a bug in a statement stays an error (a 500, logged)', async () => {
		const bug = () => getDb().execute(sql`select no_such_column from app_setting`);
		await expect(action(typed, bug)).rejects.toThrow();
	});
});
