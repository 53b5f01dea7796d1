import { error, json, type RequestHandler } from '@sveltejs/kit';
import { appEnv } from '$lib/server/app';
import { getHandle } from '$lib/server/db';
import { databaseDigest } from '$lib/server/db/digest';

// Tables whose rows change by design on requests the app refuses, so a digest of them would
// prove nothing: `rate_limits` counts refused attempts (wrong codes, failed sign-ins: that is
// its job) and `sessions` gains a row at every sign-in and loses one at sign-out, which the
// tests do between two digests.
const DIGEST_EXCLUDED = ['rate_limits', 'sessions'] as const;

// Test-only (TONGXING_TEST_HOOKS=1): row count and md5 of every other public table, for tests
// that prove a refused request changed nothing. In embedded mode no second process may open
// the database, so the test asks the server. 404 everywhere else.
export const GET: RequestHandler = async () => {
	if (!appEnv().testHooks) error(404, 'Not Found');
	const digest = await getHandle().withConnection((conn) =>
		databaseDigest(conn, { except: DIGEST_EXCLUDED })
	);
	return json({ digest, excluded: DIGEST_EXCLUDED }, { headers: { 'cache-control': 'no-store' } });
};
