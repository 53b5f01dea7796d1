// Donation commands. Quantities move pledged → received → distributed through atomic
// conditional updates; the row's check constraints (distributed ≤ received, none negative) are
// the last word, so even concurrent hand-outs cannot give away more than came in. The pledge is
// what the donor promised and no receipt rewrites it (see README).
import { and, eq, ne, sql } from 'drizzle-orm';
import { getDb, type Tx } from '../db';
import { donationAllocations, donations } from '../db/schema';
import { Conflict, Forbidden, Invalid, NotFound, pgErrorCode, type ErrorCode } from '../errors';
import { parseInput } from '../validate';
import { hint } from '../realtime/publish';
import { findMembership } from '../teams/queries';
import { isOpen } from '../events/policy';
import { idSchema, optionalIdSchema } from '$lib/schemas/common';
import {
	allocationSchema,
	donationSchema,
	quantitySchema,
	type DonationInput
} from '$lib/schemas/donations';
import { donationAccess, requireDonation, requireStaff } from './access';
import { requireGroup } from '../groups/queries';
import { canDistributeTo, canWithdraw } from './policy';
import type { EventScope } from '../events/scope';
import type { Actor } from '../teams/types';

const CHECK_VIOLATION = '23514';

function publishChange(tx: Tx, eventId: string, donationId: string): Promise<number> {
	return hint(tx, `event:${eventId}`, ['donations'], [donationId]);
}

/** A check constraint refused the numbers: the user's mistake, never a 500. */
function quantityRefused(code: ErrorCode) {
	return (err: unknown): never => {
		if (pgErrorCode(err) === CHECK_VIOLATION) {
			throw new Invalid(code, { quantity: [code] });
		}
		throw err;
	};
}

async function checkHolder(tx: Tx, teamId: string, holderId: string | null): Promise<void> {
	if (holderId && !(await findMembership(tx, teamId, holderId))) {
		throw new NotFound('teams_error_member_not_found');
	}
}

/** A new donation row, made by `actor`, and its hint. */
async function insertDonation(
	tx: Tx,
	actor: Actor,
	values: Omit<typeof donations.$inferInsert, 'createdBy'>
): Promise<{ id: string }> {
	const [row] = await tx
		.insert(donations)
		.values({ ...values, createdBy: actor.userId })
		.returning({ id: donations.id });
	await publishChange(tx, values.eventId, row.id);
	return row;
}

/**
 * A leader records a donation: what, from whom, how many. Ticking "received now" records the
 * items as already in hand (the recorder holds them unless someone else is named).
 */
export async function recordDonation(
	scope: EventScope,
	input: (DonationInput & { receivedNow?: unknown; holderId?: unknown }) | Record<string, unknown>
): Promise<{ id: string }> {
	const { actor, teamId, eventId } = scope;
	const data = parseInput(donationSchema, input);
	const receivedNow = input.receivedNow === true || input.receivedNow === 'on';
	const holderId =
		parseInput(optionalIdSchema, input.holderId) ?? (receivedNow ? actor.userId : null);
	return getDb().transaction(async (tx) => {
		const { powers } = await donationAccess(tx, actor, teamId, eventId);
		requireStaff(powers);
		await checkHolder(tx, teamId, holderId);
		const { quantity, ...fields } = data;
		return insertDonation(tx, actor, {
			...fields,
			eventId,
			pledged: quantity,
			received: receivedNow ? quantity : 0,
			holderId
		});
	});
}

/** A volunteer's "I will bring 10 exercise books": pledged, held by them, until received. */
export async function pledgeDonation(
	scope: EventScope,
	input: DonationInput | Record<string, unknown>
): Promise<{ id: string }> {
	const { actor, teamId, eventId } = scope;
	const { quantity, ...fields } = parseInput(donationSchema, input);
	return getDb().transaction(async (tx) => {
		const { event } = await donationAccess(tx, actor, teamId, eventId);
		if (!isOpen(event.status)) throw new Conflict('events_error_closed');
		return insertDonation(tx, actor, {
			...fields,
			eventId,
			pledged: quantity,
			holderId: actor.userId,
			pledgedBy: actor.userId
		});
	});
}

/**
 * Items arrive, perhaps only some of them. The pledge stays what the donor promised: a receipt
 * that would take `received` past it is refused unless the staff member confirms it
 * (`beyondPledge`), and is then recorded as received beyond the pledge. The condition sits in
 * the statement, so two receipts racing each other cannot pass the pledge unconfirmed. The
 * receiver holds the items from now on.
 */
export async function receiveDonation(
	scope: EventScope,
	donationId: string,
	quantity: unknown,
	beyondPledge: unknown = false
): Promise<void> {
	const { actor, teamId, eventId } = scope;
	const n = parseInput(quantitySchema, quantity);
	parseInput(idSchema, donationId);
	const confirmed = beyondPledge === true || beyondPledge === 'on';
	await getDb().transaction(async (tx) => {
		const { powers } = await donationAccess(tx, actor, teamId, eventId);
		requireStaff(powers);
		const updated = await tx
			.update(donations)
			.set({
				received: sql`${donations.received} + ${n}`,
				holderId: actor.userId,
				updatedAt: sql`now()`
			})
			.where(
				and(
					eq(donations.id, donationId),
					eq(donations.eventId, eventId),
					confirmed ? undefined : sql`${donations.received} + ${n} <= ${donations.pledged}`
				)
			)
			.returning({ id: donations.id })
			.catch(quantityRefused('donations_error_quantity_invalid'));
		if (updated.length === 0) {
			await requireDonation(tx, eventId, donationId);
			throw new Invalid('donations_error_beyond_pledge', {
				quantity: ['donations_error_beyond_pledge']
			});
		}
		await publishChange(tx, eventId, donationId);
	});
}

/**
 * Items handed out, to a group or to the children at large. The `where` makes the update a
 * no-op when it would pass `received` (PostgreSQL re-checks it after waiting for a concurrent
 * writer's lock), and the check constraint refuses it even if that condition were missing.
 */
export async function distributeDonation(
	scope: EventScope,
	donationId: string,
	quantity: unknown,
	groupId: string | null
): Promise<void> {
	const { actor, teamId, eventId } = scope;
	const n = parseInput(quantitySchema, quantity);
	const group = parseInput(optionalIdSchema, groupId);
	parseInput(idSchema, donationId);
	await getDb().transaction(async (tx) => {
		const { powers } = await donationAccess(tx, actor, teamId, eventId);
		if (group) await requireGroup(tx, eventId, group);
		if (!canDistributeTo(powers, group)) throw new Forbidden('donations_error_not_your_group');
		const updated = await tx
			.update(donations)
			.set({ distributed: sql`${donations.distributed} + ${n}`, updatedAt: sql`now()` })
			.where(
				and(
					eq(donations.id, donationId),
					eq(donations.eventId, eventId),
					sql`${donations.distributed} + ${n} <= ${donations.received}`
				)
			)
			.returning({ id: donations.id })
			.catch(quantityRefused('donations_error_exceeds_received'));
		if (updated.length === 0) {
			await requireDonation(tx, eventId, donationId);
			throw new Conflict('donations_error_exceeds_received');
		}
		if (group) {
			await tx
				.insert(donationAllocations)
				.values({ donationId, eventId, groupId: group, distributed: n })
				.onConflictDoUpdate({
					target: [donationAllocations.donationId, donationAllocations.groupId],
					set: {
						distributed: sql`${donationAllocations.distributed} + ${n}`,
						updatedAt: sql`now()`
					}
				});
		}
		await publishChange(tx, eventId, donationId);
	});
}

/**
 * The hand-out plan: how many a group should get. All groups together never plan more than
 * was pledged, or received when more arrived than pledged; the donation row is locked so two planners cannot both pass that check.
 */
export async function allocateDonation(
	scope: EventScope,
	donationId: string,
	groupId: string,
	quantity: unknown
): Promise<void> {
	const { actor, teamId, eventId } = scope;
	const n = parseInput(allocationSchema, quantity);
	parseInput(idSchema, donationId);
	await getDb().transaction(async (tx) => {
		const { powers } = await donationAccess(tx, actor, teamId, eventId);
		requireStaff(powers);
		await requireGroup(tx, eventId, groupId);
		const [donation] = await tx
			.select({ plannable: sql<number>`greatest(${donations.pledged}, ${donations.received})` })
			.from(donations)
			.where(and(eq(donations.id, donationId), eq(donations.eventId, eventId)))
			.for('update');
		if (!donation) throw new NotFound('donations_error_not_found');
		const [others] = await tx
			.select({ total: sql<number>`coalesce(sum(${donationAllocations.allocated}), 0)::int` })
			.from(donationAllocations)
			.where(
				and(
					eq(donationAllocations.donationId, donationId),
					ne(donationAllocations.groupId, groupId)
				)
			);
		if (others.total + n > donation.plannable) {
			throw new Invalid('donations_error_over_allocated', {
				quantity: ['donations_error_over_allocated']
			});
		}
		await tx
			.insert(donationAllocations)
			.values({ donationId, eventId, groupId, allocated: n })
			.onConflictDoUpdate({
				target: [donationAllocations.donationId, donationAllocations.groupId],
				set: { allocated: n, updatedAt: sql`now()` }
			});
		await publishChange(tx, eventId, donationId);
	});
}

/** Who has the items now; empty: nobody in particular. */
export async function setDonationHolder(
	scope: EventScope,
	donationId: string,
	holderId: string | null
): Promise<void> {
	const { actor, teamId, eventId } = scope;
	const holder = parseInput(optionalIdSchema, holderId);
	await getDb().transaction(async (tx) => {
		const { powers } = await donationAccess(tx, actor, teamId, eventId);
		requireStaff(powers);
		await requireDonation(tx, eventId, donationId);
		await checkHolder(tx, teamId, holder);
		await tx
			.update(donations)
			.set({ holderId: holder, updatedAt: sql`now()` })
			.where(eq(donations.id, donationId));
		await publishChange(tx, eventId, donationId);
	});
}

/**
 * Staff correct what, from whom and how many were pledged. The pledge may not drop below what
 * was received, except that a donation already received beyond its pledge keeps at least that
 * pledge (so editing its description does not rewrite it either).
 */
export async function updateDonation(
	scope: EventScope,
	donationId: string,
	input: DonationInput | Record<string, unknown>
): Promise<void> {
	const { actor, teamId, eventId } = scope;
	const { quantity, ...fields } = parseInput(donationSchema, input);
	await getDb().transaction(async (tx) => {
		const { powers } = await donationAccess(tx, actor, teamId, eventId);
		requireStaff(powers);
		await requireDonation(tx, eventId, donationId);
		const updated = await tx
			.update(donations)
			.set({ ...fields, pledged: quantity, updatedAt: sql`now()` })
			.where(
				and(
					eq(donations.id, donationId),
					sql`${quantity} >= least(${donations.received}, ${donations.pledged})`
				)
			)
			.returning({ id: donations.id });
		if (updated.length === 0) {
			throw new Invalid('donations_error_below_received', {
				quantity: ['donations_error_below_received']
			});
		}
		await publishChange(tx, eventId, donationId);
	});
}

/** Withdrawing a pledge, or removing a mistaken entry: only while nothing has been received. */
export async function deleteDonation(scope: EventScope, donationId: string): Promise<void> {
	const { actor, teamId, eventId } = scope;
	await getDb().transaction(async (tx) => {
		const { powers } = await donationAccess(tx, actor, teamId, eventId);
		const donation = await requireDonation(tx, eventId, donationId);
		if (!canWithdraw(powers, actor.userId, donation)) {
			throw new Forbidden('donations_error_staff_only');
		}
		// The condition sits in the statement: a receipt committed meanwhile wins.
		const removed = await tx
			.delete(donations)
			.where(and(eq(donations.id, donationId), eq(donations.received, 0)))
			.returning({ id: donations.id });
		if (removed.length === 0) throw new Conflict('donations_error_already_received');
		await publishChange(tx, eventId, donationId);
	});
}
