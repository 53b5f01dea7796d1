import * as donations from '$lib/server/donations';
import { requireUser } from '$lib/server/auth/guards';
import { action, rethrow } from '$lib/server/forms';
import { eventForm } from '$lib/server/event-request';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	for (const kind of ['donations', 'groups']) {
		event.depends(`app:event:${event.params.eventId}:${kind}`);
	}
	return await donations
		.listDonations({ userId: user.id }, event.params.teamId, event.params.eventId)
		.catch(rethrow);
};

type Form = Awaited<ReturnType<typeof eventForm>>;
const run =
	(saved: string, fn: (f: Form) => Promise<unknown>) =>
	async (event: Parameters<typeof eventForm>[0]) => {
		const f = await eventForm(event);
		return action({ ...f.values, action: saved }, async () => {
			await fn(f);
			// The page shows the answer on the card it came from.
			return { saved, donationId: f.values.donationId ?? null };
		});
	};

export const actions: Actions = {
	pledge: run('pledged', ({ actor, teamId, eventId, values }) =>
		donations.pledgeDonation(actor, teamId, eventId, values)
	),
	record: run('recorded', ({ actor, teamId, eventId, values }) =>
		donations.recordDonation(actor, teamId, eventId, values)
	),
	receive: run('received', ({ actor, teamId, eventId, values }) =>
		donations.receiveDonation(
			actor,
			teamId,
			eventId,
			values.donationId ?? '',
			values.quantity,
			values.beyondPledge
		)
	),
	distribute: run('distributed', ({ actor, teamId, eventId, values }) =>
		donations.distributeDonation(
			actor,
			teamId,
			eventId,
			values.donationId ?? '',
			values.quantity,
			values.groupId || null
		)
	),
	allocate: run('allocated', ({ actor, teamId, eventId, values }) =>
		donations.allocateDonation(
			actor,
			teamId,
			eventId,
			values.donationId ?? '',
			values.groupId ?? '',
			values.quantity
		)
	),
	holder: run('holder', ({ actor, teamId, eventId, values }) =>
		donations.setDonationHolder(
			actor,
			teamId,
			eventId,
			values.donationId ?? '',
			values.holderId || null
		)
	),
	update: run('updated', ({ actor, teamId, eventId, values }) =>
		donations.updateDonation(actor, teamId, eventId, values.donationId ?? '', values)
	),
	withdraw: run('withdrawn', ({ actor, teamId, eventId, values }) =>
		donations.deleteDonation(actor, teamId, eventId, values.donationId ?? '')
	)
};
