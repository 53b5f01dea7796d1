import * as events from '$lib/server/events';
import { requireUser } from '$lib/server/auth/guards';
import { rethrow } from '$lib/server/forms';
import { realtimeClientConfig } from '$lib/server/realtime/client-config';
import { accessMemo } from '$lib/server/request-memo';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async (event) => {
	const user = requireUser(event);
	event.depends(`app:event:${event.params.eventId}:event`);
	const {
		event: row,
		role,
		isCaptain
	} = await events
		.getEvent(
			{ userId: user.id },
			event.params.teamId,
			event.params.eventId,
			accessMemo(event.locals)
		)
		.catch(rethrow);
	return {
		header: {
			id: row.id,
			teamId: row.teamId,
			title: row.title,
			status: row.status,
			isCaptain,
			timeZone: row.timeZone,
			// Only for the navigation (which pages to offer); every page checks its own access.
			role
		},
		me: { userId: user.id, name: user.displayName },
		realtime: await realtimeClientConfig(event.url.origin)
	};
};
