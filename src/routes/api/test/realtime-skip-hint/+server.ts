import { error, json, type RequestHandler } from '@sveltejs/kit';
import { appEnv } from '$lib/server/app';
import { getRealtime } from '$lib/server/realtime';

const TOPIC = /^event:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

// Test-only (TONGXING_TEST_HOOKS=1): this instance loses the next hint of a topic, as a
// network would, so a live board sees a version skipped. 404 everywhere else.
export const POST: RequestHandler = async ({ url }) => {
	const realtime = getRealtime();
	if (!appEnv().testHooks || !realtime) error(404, 'Not Found');
	const topic = url.searchParams.get('topic') ?? '';
	if (!TOPIC.test(topic)) error(400, 'topic: event:<uuid>');
	realtime.skipHints(topic, 1);
	return json({ skipping: topic });
};
