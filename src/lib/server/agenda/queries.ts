import { asc, eq } from 'drizzle-orm';
import { type Queryable } from '../db';
import { agendaItemGroups, agendaItems, eventGroups, type AgendaKind } from '../db/schema';
import { type EventRow } from '../events/access';
import { eventRead } from '../events/scope';
import { isOpen } from '../events/policy';
import { findGroupClashes } from '$lib/agenda';
import { ownedRow } from '../owned-row';

/** An item of the event's run of show, else `NotFound`. */
export const requireAgendaItem = ownedRow(
	agendaItems,
	agendaItems.eventId,
	'agenda_error_not_found'
);

/** An event's run of show as it runs: by start time, then in the order items were written. */
export function agendaInOrder(db: Queryable, eventId: string) {
	return db
		.select({
			id: agendaItems.id,
			startTime: agendaItems.startTime,
			durationMinutes: agendaItems.durationMinutes,
			title: agendaItems.title,
			kind: agendaItems.kind,
			place: agendaItems.place
		})
		.from(agendaItems)
		.where(eq(agendaItems.eventId, eventId))
		.orderBy(asc(agendaItems.startTime), asc(agendaItems.createdAt), asc(agendaItems.id));
}

export interface AgendaItemView {
	id: string;
	startTime: string;
	durationMinutes: number;
	title: string;
	kind: AgendaKind;
	place: string | null;
	groups: { id: string; name: string; colour: string }[];
	/** Other items at the same time that need one of this item's groups. */
	clashes: { groupName: string; otherTitle: string }[];
}

export interface AgendaPage {
	event: EventRow;
	isCaptain: boolean;
	isOpen: boolean;
	items: AgendaItemView[];
	groups: { id: string; name: string; colour: string }[];
}

export const getAgenda = eventRead(async (db, access, { eventId }): Promise<AgendaPage> => {
	const [rows, links, groups] = await Promise.all([
		agendaInOrder(db, eventId),
		db
			.select({ itemId: agendaItemGroups.itemId, groupId: agendaItemGroups.groupId })
			.from(agendaItemGroups)
			.where(eq(agendaItemGroups.eventId, eventId)),
		db
			.select({ id: eventGroups.id, name: eventGroups.name, colour: eventGroups.colour })
			.from(eventGroups)
			.where(eq(eventGroups.eventId, eventId))
			.orderBy(asc(eventGroups.createdAt), asc(eventGroups.id))
	]);
	const groupById = new Map(groups.map((g) => [g.id, g]));
	const timed = rows.map((row) => ({
		...row,
		groupIds: links.filter((l) => l.itemId === row.id).map((l) => l.groupId)
	}));
	const clashes = findGroupClashes(timed);
	const titleOf = new Map(rows.map((r) => [r.id, r.title]));
	const items = timed.map((item): AgendaItemView => ({
		id: item.id,
		startTime: item.startTime,
		durationMinutes: item.durationMinutes,
		title: item.title,
		kind: item.kind as AgendaKind,
		place: item.place,
		groups: item.groupIds.map((id) => groupById.get(id)).filter((g) => g !== undefined),
		clashes: clashes
			.filter((c) => c.itemIds.includes(item.id))
			.map((c) => ({
				groupName: groupById.get(c.groupId)?.name ?? '',
				otherTitle: titleOf.get(c.itemIds[0] === item.id ? c.itemIds[1] : c.itemIds[0]) ?? ''
			}))
	}));
	return {
		event: access.event,
		isCaptain: access.isCaptain,
		isOpen: isOpen(access.event.status),
		items,
		groups
	};
});
