import * as funding from '$lib/server/funding';
import { requireUser } from '$lib/server/auth/guards';
import { rethrow } from '$lib/server/forms';
import { download } from '$lib/server/download';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => {
	const user = requireUser(event);
	const file = await funding
		.ledgerCsv({ userId: user.id }, event.params.teamId, event.params.eventId, event.locals.locale)
		.catch(rethrow);
	return download(file, 'text/csv');
};
