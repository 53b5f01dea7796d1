import * as attendance from '$lib/server/attendance';
import * as m from '$lib/paraglide/messages';
import { requireUser } from '$lib/server/auth/guards';
import { rethrow } from '$lib/server/forms';
import { download } from '$lib/server/download';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => {
	const user = requireUser(event);
	const file = await attendance
		.eventHoursCsv({ userId: user.id }, event.params.teamId, event.params.eventId, {
			name: m.hours_col_name(),
			group: m.hours_col_group(),
			in: m.hours_col_in(),
			out: m.hours_col_out(),
			hours: m.hours_col_hours(),
			estimated: m.hours_col_estimated()
		})
		.catch(rethrow);
	return download(file, 'text/csv', { 'cache-control': 'no-store' });
};
