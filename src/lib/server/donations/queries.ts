import { asc, eq, sql } from 'drizzle-orm';
import { getDb, type Queryable } from '../db';
import { donationAllocations, donations, eventGroups } from '../db/schema';
import { teamPickList } from '../teams/queries';
import { displayNameOf } from '../db/display-name';
import type { Actor } from '../teams/types';
import type { EventRow } from '../events/access';
import { isOpen } from '../events/policy';
import { DONATION_CATEGORIES, type DonationCategory, type DonorKind } from '$lib/donation-kinds';
import { donationAccess } from './access';
import { canDistributeTo, canWithdraw } from './policy';

export interface CategoryTotal {
	category: DonationCategory;
	pledged: number;
	received: number;
	distributed: number;
	/** Donation rows of this category. */
	count: number;
}

export interface DonationView {
	id: string;
	category: DonationCategory;
	description: string;
	unit: string;
	donorName: string | null;
	donorKind: DonorKind;
	pledged: number;
	received: number;
	distributed: number;
	holder: { userId: string; displayName: string } | null;
	pledgedBy: { userId: string; displayName: string } | null;
	allocations: { groupId: string; groupName: string; allocated: number; distributed: number }[];
	canWithdraw: boolean;
}

export interface DonationsPage {
	event: EventRow;
	isStaff: boolean;
	isCaptain: boolean;
	canPledge: boolean;
	totals: CategoryTotal[];
	donations: DonationView[];
	/** Groups the viewer may hand out to (all groups for captains). */
	distributeGroups: { id: string; name: string }[];
	/** Whether the viewer may hand out without naming a group. */
	canDistributeUngrouped: boolean;
	groups: { id: string; name: string }[];
	/** Staff choose who holds the items. */
	members: { userId: string; displayName: string }[];
}

/** Per category, in the fixed category order; categories with no donations are left out. */
export async function donationTotals(db: Queryable, eventId: string): Promise<CategoryTotal[]> {
	const rows = await db
		.select({
			category: donations.category,
			pledged: sql<number>`sum(${donations.pledged})::int`,
			received: sql<number>`sum(${donations.received})::int`,
			distributed: sql<number>`sum(${donations.distributed})::int`,
			count: sql<number>`count(*)::int`
		})
		.from(donations)
		.where(eq(donations.eventId, eventId))
		.groupBy(donations.category);
	return DONATION_CATEGORIES.flatMap((category) => {
		const row = rows.find((r) => r.category === category);
		return row ? [{ ...row, category }] : [];
	});
}

/** Every donation of an event, oldest first, with its holder, pledger and group plan. */
export async function donationRows(db: Queryable, eventId: string) {
	const rows = await db
		.select({
			donation: donations,
			holderName: displayNameOf(donations.holderId),
			pledgerName: displayNameOf(donations.pledgedBy)
		})
		.from(donations)
		.where(eq(donations.eventId, eventId))
		.orderBy(asc(donations.createdAt), asc(donations.id));
	const allocations = await db
		.select({
			donationId: donationAllocations.donationId,
			groupId: donationAllocations.groupId,
			groupName: eventGroups.name,
			allocated: donationAllocations.allocated,
			distributed: donationAllocations.distributed
		})
		.from(donationAllocations)
		.innerJoin(eventGroups, eq(eventGroups.id, donationAllocations.groupId))
		.where(eq(donationAllocations.eventId, eventId))
		.orderBy(asc(eventGroups.createdAt), asc(eventGroups.id));
	return rows.map(({ donation: d, holderName, pledgerName }) => ({
		id: d.id,
		category: d.category as DonationCategory,
		description: d.description,
		unit: d.unit,
		donorName: d.donorName,
		donorKind: d.donorKind as DonorKind,
		pledged: d.pledged,
		received: d.received,
		distributed: d.distributed,
		holder: d.holderId && holderName ? { userId: d.holderId, displayName: holderName } : null,
		pledgedBy:
			d.pledgedBy && pledgerName ? { userId: d.pledgedBy, displayName: pledgerName } : null,
		allocations: allocations
			.filter((a) => a.donationId === d.id)
			.map(({ donationId: _, ...a }) => a)
	}));
}

export async function listDonations(
	actor: Actor,
	teamId: string,
	eventId: string
): Promise<DonationsPage> {
	const db = getDb();
	const { event, isCaptain, powers } = await donationAccess(db, actor, teamId, eventId);
	const rows = await donationRows(db, eventId);
	const groups = await db
		.select({ id: eventGroups.id, name: eventGroups.name })
		.from(eventGroups)
		.where(eq(eventGroups.eventId, eventId))
		.orderBy(asc(eventGroups.createdAt), asc(eventGroups.id));
	const members = powers.isStaff ? await teamPickList(db, teamId) : [];
	return {
		event,
		isStaff: powers.isStaff,
		isCaptain,
		canPledge: isOpen(event.status),
		totals: await donationTotals(db, eventId),
		donations: rows.map((row) => ({
			...row,
			canWithdraw:
				row.received === 0 &&
				canWithdraw(powers, actor.userId, { pledgedBy: row.pledgedBy?.userId ?? null })
		})),
		distributeGroups: groups.filter((g) => canDistributeTo(powers, g.id)),
		canDistributeUngrouped: canDistributeTo(powers, null),
		groups,
		members
	};
}
