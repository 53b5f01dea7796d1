// Funding commands: captains keep the ledger, the budgets and the sponsors. The ledger is
// bookkeeping, so it stays writable after the day (receipts come in late) and for a cancelled
// event (money already spent must still be accounted for).
import { and, eq } from 'drizzle-orm';
import { getDb, type Tx } from '../db';
import { fundingBudgets, fundingEntries, sponsors } from '../db/schema';
import { Conflict, NotFound, pgErrorCode, type ErrorCode } from '../errors';
import { parseInput } from '../validate';
import { hint } from '../realtime/publish';
import type { Actor } from '../teams/types';
import { requireCaptain, requireEvent } from '../events/access';
import { idSchema } from '$lib/schemas/common';
import {
	budgetInputSchema,
	entrySchema,
	sponsorSchema,
	type EntryInput,
	type SponsorInput
} from '$lib/schemas/funding';
import type { EventScope } from '../events/scope';

const UNIQUE_VIOLATION = '23505';

async function asCaptain(tx: Tx, actor: Actor, teamId: string, eventId: string): Promise<void> {
	requireCaptain(await requireEvent(tx, actor, teamId, eventId));
}

function publishChange(tx: Tx, eventId: string, id?: string): Promise<number> {
	return hint(tx, `event:${eventId}`, ['funding'], id ? [id] : undefined);
}

export async function addEntry(
	scope: EventScope,
	input: EntryInput | Record<string, unknown>
): Promise<{ id: string }> {
	const { actor, teamId, eventId } = scope;
	const { amount, ...data } = parseInput(entrySchema, input);
	return getDb().transaction(async (tx) => {
		await asCaptain(tx, actor, teamId, eventId);
		const [row] = await tx
			.insert(fundingEntries)
			.values({ ...data, amountFen: amount, eventId, createdBy: actor.userId })
			.returning({ id: fundingEntries.id });
		await publishChange(tx, eventId, row.id);
		return row;
	});
}

/** A captain removes one ledger entry or sponsor of the event; an id of anything else is not found. */
async function removeRow(
	scope: EventScope,
	table: typeof fundingEntries | typeof sponsors,
	id: string,
	missing: ErrorCode
): Promise<void> {
	const { actor, teamId, eventId } = scope;
	parseInput(idSchema, id);
	await getDb().transaction(async (tx) => {
		await asCaptain(tx, actor, teamId, eventId);
		const removed = await tx
			.delete(table)
			.where(and(eq(table.id, id), eq(table.eventId, eventId)))
			.returning({ id: table.id });
		if (removed.length === 0) throw new NotFound(missing);
		await publishChange(tx, eventId, id);
	});
}

export function deleteEntry(scope: EventScope, entryId: string): Promise<void> {
	return removeRow(scope, fundingEntries, entryId, 'funding_error_entry_not_found');
}

/** Sets the budget of one category; an empty amount removes it. */
export async function setBudget(scope: EventScope, input: Record<string, unknown>): Promise<void> {
	const { actor, teamId, eventId } = scope;
	const { direction, category, amount } = parseInput(budgetInputSchema, input);
	await getDb().transaction(async (tx) => {
		await asCaptain(tx, actor, teamId, eventId);
		if (amount === null) {
			await tx
				.delete(fundingBudgets)
				.where(
					and(
						eq(fundingBudgets.eventId, eventId),
						eq(fundingBudgets.direction, direction),
						eq(fundingBudgets.category, category)
					)
				);
		} else {
			await tx
				.insert(fundingBudgets)
				.values({ eventId, direction, category, amountFen: amount })
				.onConflictDoUpdate({
					target: [fundingBudgets.eventId, fundingBudgets.direction, fundingBudgets.category],
					set: { amountFen: amount }
				});
		}
		await publishChange(tx, eventId);
	});
}

function nameTaken(err: unknown): never {
	if (pgErrorCode(err) === UNIQUE_VIOLATION) throw new Conflict('sponsors_error_name_taken');
	throw err;
}

export async function addSponsor(
	scope: EventScope,
	input: SponsorInput | Record<string, unknown>
): Promise<{ id: string }> {
	const { actor, teamId, eventId } = scope;
	const data = parseInput(sponsorSchema, input);
	return getDb().transaction(async (tx) => {
		await asCaptain(tx, actor, teamId, eventId);
		const [row] = await tx
			.insert(sponsors)
			.values({ ...data, eventId })
			.returning({ id: sponsors.id })
			.catch(nameTaken);
		await publishChange(tx, eventId, row.id);
		return row;
	});
}

export async function updateSponsor(
	scope: EventScope,
	sponsorId: string,
	input: SponsorInput | Record<string, unknown>
): Promise<void> {
	const { actor, teamId, eventId } = scope;
	parseInput(idSchema, sponsorId);
	const data = parseInput(sponsorSchema, input);
	await getDb().transaction(async (tx) => {
		await asCaptain(tx, actor, teamId, eventId);
		const updated = await tx
			.update(sponsors)
			.set(data)
			.where(and(eq(sponsors.id, sponsorId), eq(sponsors.eventId, eventId)))
			.returning({ id: sponsors.id })
			.catch(nameTaken);
		if (updated.length === 0) throw new NotFound('sponsors_error_not_found');
		await publishChange(tx, eventId, sponsorId);
	});
}

export function deleteSponsor(scope: EventScope, sponsorId: string): Promise<void> {
	return removeRow(scope, sponsors, sponsorId, 'sponsors_error_not_found');
}
