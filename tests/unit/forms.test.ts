import { describe, expect, it } from 'vitest';
import { action, formValues, jsonError } from '../../src/lib/server/forms';
import {
	Conflict,
	Forbidden,
	Invalid,
	NotFound,
	RateLimited,
	pgErrorCode
} from '../../src/lib/server/errors';

describe('domain error mapping', () => {
	it('turns a domain error into a failed form that keeps what the user typed', async () => {
		const values = formValues(
			(() => {
				const f = new FormData();
				f.set('email', 'a@example.com');
				f.set('password', 'secret-secret');
				return f;
			})()
		);
		expect(values).toEqual({ email: 'a@example.com' });
		const result = await action(values, async () => {
			throw new Invalid('invalid', { email: ['invalid'] });
		});
		expect(result).toMatchObject({
			status: 400,
			data: { values: { email: 'a@example.com' }, fields: { email: [expect.any(String)] } }
		});
	});

	it('maps each error type to its status', async () => {
		const statuses = [];
		for (const err of [new NotFound(), new Forbidden(), new Conflict(), new RateLimited(30)]) {
			const result = await action({}, async () => {
				throw err;
			});
			statuses.push((result as { status: number }).status);
		}
		expect(statuses).toEqual([404, 403, 409, 429]);
		const response = jsonError(new RateLimited(42));
		expect(response.status).toBe(429);
		expect(response.headers.get('retry-after')).toBe('42');
	});

	it('lets an unexpected error through to handleError', async () => {
		await expect(
			action({}, async () => {
				throw new TypeError('boom');
			})
		).rejects.toThrow('boom');
	});

	it('finds the PostgreSQL code under a wrapped driver error', () => {
		const wrapped = Object.assign(new Error('Failed query'), { cause: { code: '23505' } });
		expect(pgErrorCode(wrapped)).toBe('23505');
		expect(pgErrorCode(new Error('plain'))).toBeUndefined();
	});
});
