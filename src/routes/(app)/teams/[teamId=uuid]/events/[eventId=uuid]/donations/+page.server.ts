import * as donations from '$lib/server/donations';
import { eventLoad, formAction, type EventForm } from '$lib/server/event-request';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) =>
	eventLoad(event, ['donations', 'groups'], donations.listDonations);

// The page shows the answer on the card it came from.
const run = (saved: string, fn: (f: EventForm) => Promise<unknown>) =>
	formAction(saved, async (f) => {
		await fn(f);
		return { saved, donationId: f.values.donationId ?? null };
	});

export const actions: Actions = {
	pledge: run('pledged', ({ scope, values }) => donations.pledgeDonation(scope, values)),
	record: run('recorded', ({ scope, values }) => donations.recordDonation(scope, values)),
	receive: run('received', ({ scope, values }) =>
		donations.receiveDonation(scope, values.donationId ?? '', values.quantity, values.beyondPledge)
	),
	distribute: run('distributed', ({ scope, values }) =>
		donations.distributeDonation(
			scope,
			values.donationId ?? '',
			values.quantity,
			values.groupId || null
		)
	),
	allocate: run('allocated', ({ scope, values }) =>
		donations.allocateDonation(
			scope,
			values.donationId ?? '',
			values.groupId ?? '',
			values.quantity
		)
	),
	holder: run('holder', ({ scope, values }) =>
		donations.setDonationHolder(scope, values.donationId ?? '', values.holderId || null)
	),
	update: run('updated', ({ scope, values }) =>
		donations.updateDonation(scope, values.donationId ?? '', values)
	),
	withdraw: run('withdrawn', ({ scope, values }) =>
		donations.deleteDonation(scope, values.donationId ?? '')
	)
};
