// Who may do what in a team. Pure functions, so the rules are tested without a database.
import type { TeamRole } from '../db/schema';

export type Role = TeamRole;
export const ROLES: readonly TeamRole[] = ['captain', 'leader', 'volunteer'];

export function isTeamRole(value: unknown): value is TeamRole {
	return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Role changes, removals and reset links are the captains' alone. */
export function canManageMembers(role: TeamRole): boolean {
	return role === 'captain';
}

/** Captains invite anyone; leaders bring in volunteers. */
export function canInvite(role: TeamRole, inviteRole: TeamRole): boolean {
	if (role === 'captain') return true;
	return role === 'leader' && inviteRole === 'volunteer';
}

export function canSeeInvites(role: TeamRole): boolean {
	return role === 'captain' || role === 'leader';
}

/**
 * DOMAIN.md: captains and leaders see members' emails and phones; volunteers see names and the
 * phones of the captains (and, once groups exist, of their own group leader).
 */
export function visibleContact(
	viewer: TeamRole,
	member: { role: TeamRole; email: string; phone: string | null },
	isSelf: boolean
): { email: string | null; phone: string | null } {
	if (isSelf || viewer === 'captain' || viewer === 'leader') {
		return { email: member.email, phone: member.phone };
	}
	return { email: null, phone: member.role === 'captain' ? member.phone : null };
}
