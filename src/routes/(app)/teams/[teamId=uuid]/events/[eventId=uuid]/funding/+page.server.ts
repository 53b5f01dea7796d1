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
	addEntry: run('entry', ({ actor, teamId, eventId, values }) =>
		funding.addEntry(actor, teamId, eventId, values)
	),
	deleteEntry: run('entryDeleted', ({ actor, teamId, eventId, values }) =>
		funding.deleteEntry(actor, teamId, eventId, values.entryId ?? '')
	),
	budget: run('budget', ({ actor, teamId, eventId, values }) =>
		funding.setBudget(actor, teamId, eventId, values)
	),
	addSponsor: run('sponsor', ({ actor, teamId, eventId, values }) =>
		funding.addSponsor(actor, teamId, eventId, values)
	),
	updateSponsor: run('sponsorUpdated', ({ actor, teamId, eventId, values }) =>
		funding.updateSponsor(actor, teamId, eventId, values.sponsorId ?? '', values)
	),
	deleteSponsor: run('sponsorDeleted', ({ actor, teamId, eventId, values }) =>
		funding.deleteSponsor(actor, teamId, eventId, values.sponsorId ?? '')
	)
};
