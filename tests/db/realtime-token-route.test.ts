// GET /api/realtime/token: the route handler itself, with the locals hooks.server.ts would set.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getHandle } from '../../src/lib/server/db';
import { readEnv } from '../../src/lib/server/env';
import { startRealtime, stopRealtime, type RealtimeServer } from '../../src/lib/server/realtime';
import { verifyRealtimeToken } from '../../src/lib/server/realtime/jwt';
import { RATE_LIMITS } from '../../src/lib/server/auth/rate-limit';
import { GET } from '../../src/routes/api/realtime/token/+server';
import { makeUser } from '../factories/users';
import { useTestDatabase } from './helpers';

useTestDatabase();
let realtime: RealtimeServer;

beforeEach(async () => {
	realtime = await startRealtime(getHandle(), {
		env: readEnv({}),
		log: () => {}
	});
});

afterEach(() => stopRealtime());

type Locals = Partial<App.Locals>;
const call = (locals: Locals) =>
	GET({ locals: { locale: 'en', ...locals } } as unknown as Parameters<typeof GET>[0]);

describe('GET /api/realtime/token', () => {
	it('is 401 JSON, not cached, without a session', async () => {
		const res = await call({ user: null, session: null });
		expect(res.status).toBe(401);
		expect(res.headers.get('cache-control')).toBe('no-store');
		expect(await res.json()).toMatchObject({ error: 'unauthorized' });
	});

	it('gives the session’s user a token of at most 10 minutes', async () => {
		const user = await makeUser();
		const session = { id: 'a'.repeat(64), userId: user.id, expiresAt: new Date(Date.now() + 1e9) };
		const before = Date.now();
		const res = await call({ user, session });
		expect(res.status).toBe(200);
		expect(res.headers.get('cache-control')).toBe('no-store');
		const body = (await res.json()) as { token: string; expiresAt: number };
		expect(body.expiresAt - before).toBeLessThanOrEqual(600_000);
		expect(await verifyRealtimeToken(body.token, realtime.secrets.jwtSecret)).toMatchObject({
			ok: true,
			claims: { sub: user.id, role: 'authenticated', aud: 'authenticated' }
		});
	});

	it('is rate-limited per session with 429 and Retry-After', async () => {
		const user = await makeUser();
		const session = { id: 'b'.repeat(64), userId: user.id, expiresAt: new Date(Date.now() + 1e9) };
		const { limit } = RATE_LIMITS.tokenEndpoint;
		for (let i = 0; i < limit; i++) expect((await call({ user, session })).status).toBe(200);
		const refused = await call({ user, session });
		expect(refused.status).toBe(429);
		expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
		expect(refused.headers.get('cache-control')).toBe('no-store');
	});
});
