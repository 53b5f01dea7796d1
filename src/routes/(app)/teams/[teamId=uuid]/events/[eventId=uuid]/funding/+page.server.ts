import * as funding from '$lib/server/funding';
import { eventLoad, saveAction } from '$lib/server/event-request';
import { todayIn } from '$lib/time';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const page = await eventLoad(event, ['funding'], funding.getFunding);
	return { ...page, today: todayIn(page.event.timeZone) };
};

export const actions: Actions = {
	addEntry: saveAction('entry', ({ scope, values }) => funding.addEntry(scope, values)),
	deleteEntry: saveAction('entryDeleted', ({ scope, values }) =>
		funding.deleteEntry(scope, values.entryId ?? '')
	),
	budget: saveAction('budget', ({ scope, values }) => funding.setBudget(scope, values)),
	addSponsor: saveAction('sponsor', ({ scope, values }) => funding.addSponsor(scope, values)),
	updateSponsor: saveAction('sponsorUpdated', ({ scope, values }) =>
		funding.updateSponsor(scope, values.sponsorId ?? '', values)
	),
	deleteSponsor: saveAction('sponsorDeleted', ({ scope, values }) =>
		funding.deleteSponsor(scope, values.sponsorId ?? '')
	)
};
