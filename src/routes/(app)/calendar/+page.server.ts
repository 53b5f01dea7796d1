import * as calendar from '$lib/server/calendar';
import { requireUser } from '$lib/server/auth/guards';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	return { feed: await calendar.getFeedStatus({ userId: user.id }) };
};

export const actions: Actions = {
	create: async (event) => {
		const user = requireUser(event);
		const { token } = await calendar.createFeed({ userId: user.id });
		return { url: `${event.url.origin}/ics/${token}.ics` };
	},
	revoke: async (event) => {
		const user = requireUser(event);
		await calendar.revokeFeed({ userId: user.id });
		return { revoked: true };
	}
};
