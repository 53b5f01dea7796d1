// The preparation checklist: captains plan it; an item is checked off by a captain or the
// person it is assigned to.
import { and, eq, isNull, sql } from 'drizzle-orm';
import { checklistItems } from '../db/schema';
import { Forbidden, NotFound } from '../errors';
import { parseInput } from '../validate';
import { hint } from '../realtime/publish';
import { findMembership } from '../teams/queries';
import { idSchema } from '$lib/schemas/common';
import { checklistItemSchema } from '$lib/schemas/events';
import { requireOpen } from './access';
import { inEvent, type EventScope } from './scope';
import { ownedRow } from '../owned-row';

export async function addChecklistItem(
	scope: EventScope,
	input: { title?: unknown; daysBefore?: unknown }
): Promise<{ id: string }> {
	const { eventId } = scope;
	const data = parseInput(checklistItemSchema, input);
	return inEvent(scope, 'plan', async (tx) => {
		const [item] = await tx
			.insert(checklistItems)
			.values({ ...data, eventId })
			.returning({ id: checklistItems.id });
		await hint(tx, `event:${eventId}`, ['checklist'], [item.id]);
		return item;
	});
}

const requireChecklistItem = ownedRow(
	checklistItems,
	checklistItems.eventId,
	'checklist_error_not_found',
	'update'
);

/** Captains hand an item to a member of the team, or take it back (`null`). */
export async function assignChecklistItem(
	scope: EventScope,
	itemId: string,
	assigneeId: string | null
): Promise<void> {
	const { teamId, eventId } = scope;
	if (assigneeId) parseInput(idSchema, assigneeId);
	await inEvent(scope, 'plan', async (tx) => {
		await requireChecklistItem(tx, eventId, itemId);
		if (assigneeId && !(await findMembership(tx, teamId, assigneeId))) {
			throw new NotFound('teams_error_member_not_found');
		}
		await tx.update(checklistItems).set({ assigneeId }).where(eq(checklistItems.id, itemId));
		await hint(tx, `event:${eventId}`, ['checklist'], [itemId]);
	});
}

/** Checked off (with who and when) by a captain or the person it is assigned to. */
export async function setChecklistItemDone(
	scope: EventScope,
	itemId: string,
	done: boolean
): Promise<void> {
	const { actor, eventId } = scope;
	await inEvent(scope, 'share', async (tx, access) => {
		requireOpen(access);
		const item = await requireChecklistItem(tx, eventId, itemId);
		if (!access.isCaptain && item.assigneeId !== actor.userId) {
			throw new Forbidden('checklist_error_not_yours');
		}
		await tx
			.update(checklistItems)
			.set(done ? { doneAt: sql`now()`, doneBy: actor.userId } : { doneAt: null, doneBy: null })
			.where(
				and(
					eq(checklistItems.id, itemId),
					done ? isNull(checklistItems.doneAt) : sql`${checklistItems.doneAt} is not null`
				)
			);
		await hint(tx, `event:${eventId}`, ['checklist'], [itemId]);
	});
}

export async function removeChecklistItem(scope: EventScope, itemId: string): Promise<void> {
	const { eventId } = scope;
	await inEvent(scope, 'plan', async (tx) => {
		await requireChecklistItem(tx, eventId, itemId);
		await tx.delete(checklistItems).where(eq(checklistItems.id, itemId));
		await hint(tx, `event:${eventId}`, ['checklist'], [itemId]);
	});
}
