// Teams made through the domain commands, as the app makes them.
import * as teams from '../../src/lib/server/teams';
import type { TeamRole } from '../../src/lib/server/db/schema';
import { makeUser } from './users';

export interface TeamFixture {
	teamId: string;
	captain: { id: string; userId: string; email: string };
}

let counter = 0;
/** Members have phones, so contact visibility rules have something to hide. */
const phone = () => `138${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;

export async function makeTeam(name?: string): Promise<TeamFixture> {
	const user = await makeUser({ phone: phone() });
	const actor = { userId: user.id };
	const team = await teams.createTeam(actor, { name: name ?? `Team ${++counter}` });
	return { teamId: team.id, captain: { id: user.id, userId: user.id, email: user.email } };
}

/** A new user who joined through an invite of the given role. */
export async function addMember(
	team: TeamFixture,
	role: TeamRole = 'volunteer'
): Promise<{ id: string; userId: string; email: string }> {
	const user = await makeUser({ phone: phone() });
	const invite = await teams.createInvite({ userId: team.captain.id }, team.teamId, {
		role,
		maxUses: 1
	});
	await teams.acceptInvite({ userId: user.id }, invite.token);
	return { id: user.id, userId: user.id, email: user.email };
}
