import { describe, expect, it } from 'vitest';
import { GET } from '../../src/routes/api/health/+server';
import { openPostgres, setHandle } from '../../src/lib/server/db';

type HealthEvent = Parameters<typeof GET>[0];
const call = () => GET({} as HealthEvent) as Promise<Response>;

describe('GET /api/health', () => {
	it('answers 503 with a reason when the database cannot be reached', async () => {
		// A real driver pointed at a port where no PostgreSQL listens.
		const handle = openPostgres('postgres://postgres@127.0.0.1:9/unreachable', { max: 1 });
		setHandle(handle);
		try {
			const response = await call();
			expect(response.status).toBe(503);
			expect(await response.json()).toEqual({
				status: 'error',
				mode: 'postgres',
				db: 'unreachable',
				reason: 'database unreachable'
			});
		} finally {
			setHandle(undefined);
			await handle.close();
		}
	});

	it('answers 503 before the database is open', async () => {
		const response = await call();
		expect(response.status).toBe(503);
	});
});
