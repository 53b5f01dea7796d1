// Community contacts and their links, made through the domain commands as the app makes them.
import * as contacts from '../../src/lib/server/contacts';
import type { ContactInput } from '../../src/lib/schemas/contacts';
import type { TeamFixture } from './teams';

export async function makeContact(
	team: TeamFixture,
	eventId: string,
	overrides: Partial<ContactInput> = {}
): Promise<{ token: string }> {
	const actor = { userId: team.captain.id };
	await contacts.saveContact(
		{ actor, teamId: team.teamId, eventId },
		{
			name: '陈主任',
			organization: '幸福社区居委会',
			phone: '13900001111',
			email: 'chen@community.example',
			needsRoom: true,
			needsTables: true,
			...overrides
		}
	);
	return contacts.createContactLink({ actor, teamId: team.teamId, eventId });
}
