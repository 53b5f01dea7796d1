import { error, json, type RequestHandler } from '@sveltejs/kit';
import { appEnv } from '$lib/server/app';
import { getRealtime } from '$lib/server/realtime';

// Test-only (TONGXING_TEST_HOOKS=1): cuts every realtime socket as a network failure would,
// because a browser's offline mode does not cut an open WebSocket. 404 everywhere else.
export const POST: RequestHandler = async ({ url }) => {
	const realtime = getRealtime();
	if (!appEnv().testHooks || !realtime) error(404, 'Not Found');
	const refuseForMs = Math.min(
		Math.max(Number(url.searchParams.get('refuseForMs')) || 0, 0),
		60_000
	);
	return json({ dropped: realtime.hub.dropConnections(refuseForMs) });
};
