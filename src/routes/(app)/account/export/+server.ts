import type { RequestHandler } from './$types';
import * as accounts from '$lib/server/accounts';
import { requireUser } from '$lib/server/auth/guards';
import { rethrow } from '$lib/server/forms';
import { download } from '$lib/server/download';

// Reading only, so a GET: the download link of the account page. Never cached anywhere.
export const GET: RequestHandler = async (event) => {
	const user = requireUser(event);
	const now = new Date();
	const data = await accounts.exportMyData({ userId: user.id }, now).catch(rethrow);
	const filename = `tongxing-my-data-${now.toISOString().slice(0, 10)}.json`;
	return download({ filename, body: JSON.stringify(data, null, '\t') }, 'application/json', {
		'cache-control': 'no-store',
		'x-content-type-options': 'nosniff'
	});
};
