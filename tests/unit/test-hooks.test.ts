import { isHttpError } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import { GET as digest } from '../../src/routes/api/test/db-digest/+server';
import { POST as realtimeDrop } from '../../src/routes/api/test/realtime-drop/+server';
import { POST as signUp } from '../../src/routes/api/test/sign-up/+server';
import {
	GET as loopDelay,
	POST as loopDelayReset
} from '../../src/routes/api/test/loop-delay/+server';

// The test hooks answer only with TONGXING_TEST_HOOKS=1, which this process does not set: a
// production server has none of them.
describe('test hooks without TONGXING_TEST_HOOKS', () => {
	it.each([
		['GET /api/test/db-digest', digest],
		['POST /api/test/realtime-drop', realtimeDrop],
		['POST /api/test/sign-up', signUp],
		['GET /api/test/loop-delay', loopDelay],
		['POST /api/test/loop-delay', loopDelayReset]
	])('%s is 404 and reads nothing', async (_, handler) => {
		expect(process.env.TONGXING_TEST_HOOKS).toBeUndefined();
		const body = new URLSearchParams({ email: 'a@example.test', displayName: 'A', password: 'x' });
		const event = {
			request: new Request('http://localhost/api/test', { method: 'POST', body }),
			url: new URL('http://localhost/api/test')
		} as unknown as Parameters<typeof signUp>[0];
		const outcome = await Promise.resolve()
			.then(() => handler(event))
			.then(
				() => 'answered',
				(err: unknown) => err
			);
		expect(isHttpError(outcome) && outcome.status).toBe(404);
		expect(event.request.bodyUsed).toBe(false);
	});
});
