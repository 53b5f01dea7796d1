import { error, json, type RequestHandler } from '@sveltejs/kit';
import { appEnv } from '$lib/server/app';
import { loopDelay, resetLoopDelay } from '$lib/server/loop-delay';

// Test-only (TONGXING_TEST_HOOKS=1): GET this process's event-loop delay since the last POST,
// which starts a new measurement (the fan-out benchmark, per phase). 404 everywhere else.
export const GET: RequestHandler = () => {
	if (!appEnv().testHooks) error(404, 'Not Found');
	return json(loopDelay(), { headers: { 'cache-control': 'no-store' } });
};

export const POST: RequestHandler = () => {
	if (!appEnv().testHooks) error(404, 'Not Found');
	resetLoopDelay();
	return json(loopDelay(), { headers: { 'cache-control': 'no-store' } });
};
