// Donations and ledger entries made through the domain commands, as the app makes them.
import * as donations from '../../src/lib/server/donations';
import * as funding from '../../src/lib/server/funding';
import type { DonationInput } from '../../src/lib/schemas/donations';
import type { EntryInput } from '../../src/lib/schemas/funding';
import type { TeamFixture } from './teams';

/** A donation recorded by the captain; `receivedNow` puts the items in hand at once. */
export async function makeDonation(
	team: TeamFixture,
	eventId: string,
	overrides: Partial<DonationInput> & { receivedNow?: boolean; holderId?: string } = {}
): Promise<{ id: string }> {
	return donations.recordDonation(
		{ actor: { userId: team.captain.id }, teamId: team.teamId, eventId },
		{
			category: 'books',
			description: '课外读物',
			unit: '本',
			quantity: 20,
			donorName: '信息学院',
			donorKind: 'college',
			...overrides
		}
	);
}

export async function makeEntry(
	team: TeamFixture,
	eventId: string,
	overrides: Partial<EntryInput> = {}
): Promise<{ id: string }> {
	return funding.addEntry(
		{ actor: { userId: team.captain.id }, teamId: team.teamId, eventId },
		{
			direction: 'income',
			category: 'college_sponsorship',
			amount: '500',
			occurredOn: '2030-07-01',
			...overrides
		}
	);
}
