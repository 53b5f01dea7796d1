import { redirect } from '@sveltejs/kit';
import * as teams from '$lib/server/teams';
import * as events from '$lib/server/events';
import { requireUser } from '$lib/server/auth/guards';
import { action, rethrow } from '$lib/server/forms';
import { eventForm } from '$lib/server/event-request';
import { error } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const me = await teams.getMembership({ userId: user.id }, event.params.teamId).catch(rethrow);
	if (!events.canManageEvent(me.role)) error(403, m.events_error_captains_only());
	return {};
};

export const actions: Actions = {
	create: async (event) => {
		const { actor, teamId, values } = await eventForm(event);
		const result = await action(values, () =>
			events.createEvent(
				actor,
				teamId,
				{ ...values, useTemplate: values.useTemplate === 'on' },
				{ locale: event.locals.locale }
			)
		);
		if ('id' in result) redirect(303, `/teams/${teamId}/events/${result.id}`);
		return result;
	}
};
