// Creating, editing, moving the status of and copying events: one transaction each, the event
// row locked for plan changes so they run one after another, the hint published inside.
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { getDb, type Tx } from '../db';
import {
	agendaItemGroups,
	agendaItems,
	checklistItems,
	eventGroups,
	events,
	teamMembers,
	type EventStatus
} from '../db/schema';
import { Conflict, Forbidden } from '../errors';
import { parseInput } from '../validate';
import { hint } from '../realtime/publish';
import { requireMembership } from '../teams/queries';
import type { Actor } from '../teams/types';
import {
	copyEventSchema,
	createEventSchema,
	eventFieldsSchema,
	eventStatusSchema,
	type CreateEventInput,
	type EventFieldsInput
} from '$lib/schemas/events';
import { hhmm, minutesOf } from '$lib/time';
import { baseLocale, type Locale } from '$lib/paraglide/runtime';
import { canManageEvent, canTransition } from './policy';
import { OUTREACH_AGENDA, OUTREACH_CHECKLIST } from './template';
import { agendaInOrder } from '../agenda/queries';
import * as contacts from '../contacts/effects';
import { inEvent, requireScope, type EventScope } from './scope';

const DAY_MINUTES = 24 * 60;

/** What a form sends: the schema decides what it means. */
type FormInput = Record<string, unknown>;

async function insertTemplate(tx: Tx, eventId: string, startTime: string, locale: Locale) {
	const start = minutesOf(startTime);
	const agenda = OUTREACH_AGENDA.filter(
		(item) => start + item.offsetMinutes + item.durationMinutes <= DAY_MINUTES
	).map((item) => ({
		eventId,
		startTime: `${hhmm(start + item.offsetMinutes)}:00`,
		durationMinutes: item.durationMinutes,
		kind: item.kind,
		title: item.title({}, { locale })
	}));
	if (agenda.length > 0) await tx.insert(agendaItems).values(agenda);
	await tx.insert(checklistItems).values(
		OUTREACH_CHECKLIST.map((item) => ({
			eventId,
			daysBefore: item.daysBefore,
			title: item.title({}, { locale })
		}))
	);
}

/** Captains create events; the outreach-day template is on unless `useTemplate: false`. */
export async function createEvent(
	actor: Actor,
	teamId: string,
	input: CreateEventInput | FormInput,
	options: { locale?: Locale } = {}
): Promise<{ id: string }> {
	const { useTemplate, ...fields } = parseInput(createEventSchema, input);
	return getDb().transaction(async (tx) => {
		const me = await requireMembership(tx, teamId, actor);
		if (!canManageEvent(me.role)) throw new Forbidden('events_error_captains_only');
		const [event] = await tx
			.insert(events)
			.values({ ...fields, teamId, createdBy: actor.userId })
			.returning({ id: events.id });
		if (useTemplate) {
			await insertTemplate(tx, event.id, fields.startTime, options.locale ?? baseLocale);
		}
		await hint(tx, `team:${teamId}`, ['events'], [event.id]);
		return event;
	});
}

export async function updateEvent(
	scope: EventScope,
	input: EventFieldsInput | FormInput
): Promise<void> {
	await getDb().transaction((tx) => updateEventIn(tx, scope, input));
}

/** `updateEvent` inside a caller's transaction (a captain accepting the community's proposal). */
export async function updateEventIn(
	tx: Tx,
	scope: EventScope,
	input: EventFieldsInput | FormInput
): Promise<void> {
	const { actor, teamId, eventId } = scope;
	const fields = parseInput(eventFieldsSchema, input);
	const { event: before } = await requireScope(tx, scope, 'plan');
	await tx
		.update(events)
		.set({ ...fields, updatedAt: sql`now()` })
		.where(eq(events.id, eventId));
	// A new date, time or venue voids the community's confirmation; the contact sees the change.
	await contacts.onEventUpdated(tx, before, fields, actor.userId);
	// The checklist's due dates follow the event's date.
	await hint(tx, `event:${eventId}`, ['event', 'checklist']);
	await hint(tx, `team:${teamId}`, ['events'], [eventId]);
}

/** Moves the status along the machine in policy.ts; anything else is a Conflict. */
export async function changeStatus(scope: EventScope, status: EventStatus): Promise<void> {
	const { teamId, eventId } = scope;
	const to = parseInput(eventStatusSchema, status);
	await inEvent(scope, 'update', async (tx, access) => {
		if (!access.isCaptain) throw new Forbidden('events_error_captains_only');
		if (!canTransition(access.event.status, to)) throw new Conflict('events_error_transition');
		await tx
			.update(events)
			.set({ status: to, updatedAt: sql`now()` })
			.where(eq(events.id, eventId));
		await hint(tx, `event:${eventId}`, ['event'], [eventId]);
		await hint(tx, `team:${teamId}`, ['events'], [eventId]);
	});
}

/**
 * A new draft from an earlier event on a new date: its details, checklist (unassigned, not
 * done), run of show and groups (leaders who may still lead, no members, no children counts).
 */
export async function copyEvent(
	scope: EventScope,
	input: { date?: unknown }
): Promise<{ id: string }> {
	const { actor, teamId, eventId: sourceId } = scope;
	const { date } = parseInput(copyEventSchema, input);
	return inEvent(scope, 'share', async (tx, { event: source, isCaptain }) => {
		if (!isCaptain) throw new Forbidden('events_error_captains_only');
		const { id: _id, createdAt: _c, updatedAt: _u, status: _s, createdBy: _b, ...fields } = source;
		const [copy] = await tx
			.insert(events)
			.values({ ...fields, date, createdBy: actor.userId })
			.returning({ id: events.id });

		const checklist = await tx
			.select({ title: checklistItems.title, daysBefore: checklistItems.daysBefore })
			.from(checklistItems)
			.where(eq(checklistItems.eventId, sourceId))
			.orderBy(asc(checklistItems.createdAt), asc(checklistItems.id));
		if (checklist.length > 0) {
			await tx.insert(checklistItems).values(checklist.map((c) => ({ ...c, eventId: copy.id })));
		}

		const groups = await tx
			.select({
				id: eventGroups.id,
				name: eventGroups.name,
				colour: eventGroups.colour,
				ageMin: eventGroups.ageMin,
				ageMax: eventGroups.ageMax,
				leaderId: sql<string | null>`case when ${teamMembers.role} in ('leader', 'captain')
					then ${eventGroups.leaderId} end`
			})
			.from(eventGroups)
			.leftJoin(
				teamMembers,
				and(eq(teamMembers.teamId, teamId), eq(teamMembers.userId, eventGroups.leaderId))
			)
			.where(eq(eventGroups.eventId, sourceId))
			.orderBy(asc(eventGroups.createdAt), asc(eventGroups.id));
		const groupIds = new Map<string, string>();
		for (const { id, ...group } of groups) {
			const [created] = await tx
				.insert(eventGroups)
				.values({ ...group, eventId: copy.id })
				.returning({ id: eventGroups.id });
			groupIds.set(id, created.id);
		}

		const items = await agendaInOrder(tx, sourceId);
		const links =
			items.length === 0
				? []
				: await tx
						.select({ itemId: agendaItemGroups.itemId, groupId: agendaItemGroups.groupId })
						.from(agendaItemGroups)
						.where(
							inArray(
								agendaItemGroups.itemId,
								items.map((i) => i.id)
							)
						);
		for (const { id, ...item } of items) {
			const [created] = await tx
				.insert(agendaItems)
				.values({ ...item, eventId: copy.id })
				.returning({ id: agendaItems.id });
			const itemLinks = links
				.filter((l) => l.itemId === id)
				.map((l) => ({ eventId: copy.id, itemId: created.id, groupId: groupIds.get(l.groupId)! }));
			if (itemLinks.length > 0) await tx.insert(agendaItemGroups).values(itemLinks);
		}
		await hint(tx, `team:${teamId}`, ['events'], [copy.id]);
		return copy;
	});
}
