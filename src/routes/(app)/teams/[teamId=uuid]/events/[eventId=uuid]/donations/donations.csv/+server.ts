import * as donations from '$lib/server/donations';
import { requireUser } from '$lib/server/auth/guards';
import { rethrow } from '$lib/server/forms';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => {
	const user = requireUser(event);
	const { filename, body } = await donations
		.donationsCsv(
			{ userId: user.id },
			event.params.teamId,
			event.params.eventId,
			event.locals.locale
		)
		.catch(rethrow);
	return new Response(body, {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': donations.attachment(filename),
			'cache-control': 'private, no-store'
		}
	});
};
