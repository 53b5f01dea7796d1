// Resolving an actor's powers over an event's donations, inside the caller's transaction.
import { and, eq } from 'drizzle-orm';
import type { Queryable } from '../db';
import { donations, eventGroups } from '../db/schema';
import { Forbidden, NotFound } from '../errors';
import { parseInput } from '../validate';
import type { Actor } from '../teams/types';
import { requireEvent, type EventAccess } from '../events/access';
import { idSchema } from '$lib/schemas/common';
import { powersOf, type DonationPowers } from './policy';

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

export async function requireDonation(
	db: Queryable,
	eventId: string,
	donationId: string
): Promise<DonationRow> {
	parseInput(idSchema, donationId);
	const [row] = await db
		.select()
		.from(donations)
		.where(and(eq(donations.id, donationId), eq(donations.eventId, eventId)));
	if (!row) throw new NotFound('donations_error_not_found');
	return row;
}

export async function requireGroupOf(db: Queryable, eventId: string, groupId: string) {
	parseInput(idSchema, groupId);
	const [group] = await db
		.select({ id: eventGroups.id })
		.from(eventGroups)
		.where(and(eq(eventGroups.id, groupId), eq(eventGroups.eventId, eventId)));
	if (!group) throw new NotFound('groups_error_not_found');
	return group;
}
