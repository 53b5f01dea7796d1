// Run-of-show commands: captains plan it. Each runs in one transaction with the event row
// locked, so a reorder never interleaves with another change of the same run of show.
import { and, eq, inArray } from 'drizzle-orm';
import type { Tx } from '../db';
import { agendaItemGroups, agendaItems, eventGroups } from '../db/schema';
import { NotFound } from '../errors';
import { parseInput } from '../validate';
import { hint } from '../realtime/publish';
import { idSchema } from '$lib/schemas/common';
import { agendaItemSchema, moveSchema, type AgendaItemInput } from '$lib/schemas/agenda';
import { hhmm, minutesOf } from '$lib/time';
import { inEvent, type EventScope } from '../events/scope';
import { agendaInOrder, requireAgendaItem } from './queries';

async function checkGroups(tx: Tx, eventId: string, groupIds: string[]): Promise<void> {
	if (groupIds.length === 0) return;
	const found = await tx
		.select({ id: eventGroups.id })
		.from(eventGroups)
		.where(and(eq(eventGroups.eventId, eventId), inArray(eventGroups.id, groupIds)));
	if (found.length !== new Set(groupIds).size) throw new NotFound('groups_error_not_found');
}

async function linkGroups(tx: Tx, eventId: string, itemId: string, groupIds: string[]) {
	await tx.delete(agendaItemGroups).where(eq(agendaItemGroups.itemId, itemId));
	const unique = [...new Set(groupIds)];
	if (unique.length > 0) {
		await tx
			.insert(agendaItemGroups)
			.values(unique.map((groupId) => ({ eventId, itemId, groupId })));
	}
}

export async function addAgendaItem(
	scope: EventScope,
	input: AgendaItemInput
): Promise<{ id: string }> {
	const { eventId } = scope;
	const { groupIds, ...data } = parseInput(agendaItemSchema, input);
	return inEvent(scope, 'plan', async (tx) => {
		await checkGroups(tx, eventId, groupIds);
		const [item] = await tx
			.insert(agendaItems)
			.values({ ...data, eventId })
			.returning({ id: agendaItems.id });
		await linkGroups(tx, eventId, item.id, groupIds);
		await hint(tx, `event:${eventId}`, ['agenda'], [item.id]);
		return item;
	});
}

export async function updateAgendaItem(
	scope: EventScope,
	itemId: string,
	input: AgendaItemInput
): Promise<void> {
	const { eventId } = scope;
	const { groupIds, ...data } = parseInput(agendaItemSchema, input);
	await inEvent(scope, 'plan', async (tx) => {
		await requireAgendaItem(tx, eventId, itemId);
		await checkGroups(tx, eventId, groupIds);
		await tx.update(agendaItems).set(data).where(eq(agendaItems.id, itemId));
		await linkGroups(tx, eventId, itemId, groupIds);
		await hint(tx, `event:${eventId}`, ['agenda'], [itemId]);
	});
}

export async function removeAgendaItem(scope: EventScope, itemId: string): Promise<void> {
	const { eventId } = scope;
	await inEvent(scope, 'plan', async (tx) => {
		await requireAgendaItem(tx, eventId, itemId);
		await tx.delete(agendaItems).where(eq(agendaItems.id, itemId));
		await hint(tx, `event:${eventId}`, ['agenda'], [itemId]);
	});
}

/**
 * Swaps an item with its neighbour. The pair keeps the span it occupied: the one moved
 * earlier starts where the pair started, the other ends where the pair ended.
 */
export async function moveAgendaItem(
	scope: EventScope,
	itemId: string,
	direction: 'up' | 'down'
): Promise<void> {
	const { eventId } = scope;
	const dir = parseInput(moveSchema, direction);
	parseInput(idSchema, itemId);
	await inEvent(scope, 'plan', async (tx) => {
		const items = await agendaInOrder(tx, eventId);
		const index = items.findIndex((i) => i.id === itemId);
		if (index < 0) throw new NotFound('agenda_error_not_found');
		const firstIndex = dir === 'up' ? index - 1 : index;
		if (firstIndex < 0 || firstIndex + 1 >= items.length) return;
		const [first, second] = [items[firstIndex], items[firstIndex + 1]];
		const spanStart = minutesOf(first.startTime);
		const spanEnd = Math.max(
			spanStart + first.durationMinutes,
			minutesOf(second.startTime) + second.durationMinutes
		);
		await tx
			.update(agendaItems)
			.set({ startTime: `${hhmm(spanStart)}:00` })
			.where(eq(agendaItems.id, second.id));
		await tx
			.update(agendaItems)
			.set({ startTime: `${hhmm(spanEnd - first.durationMinutes)}:00` })
			.where(eq(agendaItems.id, first.id));
		await hint(tx, `event:${eventId}`, ['agenda'], [first.id, second.id]);
	});
}
