// Resolving an actor's powers over an event's donations, inside the caller's transaction.
import { and, eq } from 'drizzle-orm';
import type { Queryable } from '../db';
import { donations, eventGroups } from '../db/schema';
import { Forbidden } from '../errors';
import type { Actor } from '../teams/types';
import { requireEvent, type EventAccess } from '../events/access';
import { powersOf, type DonationPowers } from './policy';
import { ownedRow } from '../owned-row';

export type DonationRow = typeof donations.$inferSelect;

export async function donationAccess(
	db: Queryable,
	actor: Actor,
	teamId: string,
	eventId: string
): Promise<EventAccess & { powers: DonationPowers }> {
	const access = await requireEvent(db, actor, teamId, eventId);
	const led = await db
		.select({ id: eventGroups.id })
		.from(eventGroups)
		.where(and(eq(eventGroups.eventId, eventId), eq(eventGroups.leaderId, actor.userId)));
	return {
		...access,
		powers: powersOf(
			access.role,
			access.isCaptain,
			led.map((g) => g.id)
		)
	};
}

export function requireStaff(powers: DonationPowers): void {
	if (!powers.isStaff) throw new Forbidden('donations_error_staff_only');
}

export const requireDonation = ownedRow(donations, donations.eventId, 'donations_error_not_found');
