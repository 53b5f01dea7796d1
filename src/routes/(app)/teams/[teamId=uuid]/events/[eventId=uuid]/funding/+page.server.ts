import * as funding from '$lib/server/funding';
import { requireUser } from '$lib/server/auth/guards';
import { action, rethrow } from '$lib/server/forms';
import { eventForm } from '$lib/server/event-request';
import { todayIn } from '$lib/time';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	event.depends(`app:event:${event.params.eventId}:funding`);
	const page = await funding
		.getFunding({ userId: user.id }, event.params.teamId, event.params.eventId)
		.catch(rethrow);
	return { ...page, today: todayIn(page.event.timeZone) };
};

type Form = Awaited<ReturnType<typeof eventForm>>;
const run =
	(saved: string, fn: (f: Form) => Promise<unknown>) =>
	async (event: Parameters<typeof eventForm>[0]) => {
		const f = await eventForm(event);
		return action({ ...f.values, action: saved }, async () => {
			await fn(f);
			return { saved };
		});
	};

export const actions: Actions = {
	addEntry: run('entry', ({ scope, values }) => funding.addEntry(scope, values)),
	deleteEntry: run('entryDeleted', ({ scope, values }) =>
		funding.deleteEntry(scope, values.entryId ?? '')
	),
	budget: run('budget', ({ scope, values }) => funding.setBudget(scope, values)),
	addSponsor: run('sponsor', ({ scope, values }) => funding.addSponsor(scope, values)),
	updateSponsor: run('sponsorUpdated', ({ scope, values }) =>
		funding.updateSponsor(scope, values.sponsorId ?? '', values)
	),
	deleteSponsor: run('sponsorDeleted', ({ scope, values }) =>
		funding.deleteSponsor(scope, values.sponsorId ?? '')
	)
};
