import { error, fail, redirect } from '@sveltejs/kit';
import * as events from '$lib/server/events';
import * as m from '$lib/paraglide/messages';
import { action } from '$lib/server/forms';
import { eventForm, eventLoad } from '$lib/server/event-request';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const page = await eventLoad(event, ['event'], events.getEvent);
	if (!page.isCaptain) error(403, m.events_error_captains_only());
	return page;
};

export const actions: Actions = {
	update: async (event) => {
		const { scope, values } = await eventForm(event);
		const result = await action(values, () => events.updateEvent(scope, values));
		if (result) return fail(result.status, { ...result.data, form: 'update' as const });
		return { saved: true };
	},
	copy: async (event) => {
		const { scope, values } = await eventForm(event);
		const result = await action(values, () => events.copyEvent(scope, values));
		if ('id' in result) redirect(303, `/teams/${scope.teamId}/events/${result.id}/edit`);
		return fail(result.status, { ...result.data, form: 'copy' as const });
	}
};
