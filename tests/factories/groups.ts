// Groups made through the domain commands, as the app makes them.
import * as groups from '../../src/lib/server/groups';
import type { GroupInput } from '../../src/lib/schemas/groups';
import type { TeamFixture } from './teams';

let counter = 0;

export async function makeGroup(
	team: TeamFixture,
	eventId: string,
	overrides: Partial<GroupInput> & { leaderId?: string | null } = {}
): Promise<{ id: string }> {
	return groups.createGroup(
		{ actor: { userId: team.captain.id }, teamId: team.teamId, eventId },
		{
			name: `第${++counter}组`,
			colour: '#1d4ed8',
			...overrides
		}
	);
}
