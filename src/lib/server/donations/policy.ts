// Who may do what with donations. Pure functions over what `access.ts` resolved.
import { canLeadGroups } from '../events/policy';
import type { TeamRole } from '../db/schema';

export interface DonationPowers {
	isCaptain: boolean;
	/** Captains, and leaders (team role) who lead a group in this event. */
	isStaff: boolean;
	/** The groups of this event the actor leads. */
	ledGroupIds: ReadonlySet<string>;
}

export function powersOf(
	role: TeamRole,
	isCaptain: boolean,
	ledGroupIds: Iterable<string>
): DonationPowers {
	const led = new Set(ledGroupIds);
	return {
		isCaptain,
		isStaff: isCaptain || (canLeadGroups(role) && led.size > 0),
		ledGroupIds: led
	};
}

/** Handing out to a group: captains, or that group's leader; to no group in particular: staff. */
export function canDistributeTo(powers: DonationPowers, groupId: string | null): boolean {
	if (powers.isCaptain) return true;
	if (groupId === null) return powers.isStaff;
	return powers.isStaff && powers.ledGroupIds.has(groupId);
}

/** A pledge is withdrawn by its volunteer or by staff, but only while nothing was received. */
export function canWithdraw(
	powers: DonationPowers,
	actorId: string,
	donation: { pledgedBy: string | null }
): boolean {
	return powers.isStaff || donation.pledgedBy === actorId;
}
