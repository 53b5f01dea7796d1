// What the community's answer does to the rest of the event, inside the caller's transaction:
// the event's status, the "contact the community" checklist item, the history and the hints.
// The events domain calls `onEventUpdated` from its own update, so nothing here imports it.
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Tx } from '../db';
import {
	checklistItems,
	contactHistory,
	eventContacts,
	events,
	type ContactAction,
	type ContactState,
	type EventStatus,
	type ScheduleChange
} from '../db/schema';
import { hint } from '../realtime/publish';
import { canTransition } from '../events/policy';
import * as m from '$lib/paraglide/messages';
import { locales } from '$lib/paraglide/runtime';
import { scheduleChanges, type Schedule } from './policy';

export interface HistoryEntry {
	action: ContactAction;
	stateAfter: ContactState;
	userId?: string | null;
	proposedDate?: string | null;
	proposedStartTime?: string | null;
	proposedEndTime?: string | null;
	proposedVenue?: string | null;
	note?: string | null;
	changes?: ScheduleChange[] | null;
}

export async function logAction(tx: Tx, eventId: string, entry: HistoryEntry): Promise<void> {
	await tx.insert(contactHistory).values({
		eventId,
		...entry,
		userId: entry.userId ?? null,
		isByContact: !entry.userId
	});
}

export async function setState(tx: Tx, eventId: string, state: ContactState): Promise<void> {
	await tx
		.update(eventContacts)
		.set({ state, stateChangedAt: sql`now()`, updatedAt: sql`now()` })
		.where(eq(eventContacts.eventId, eventId));
}

/**
 * The community said yes: a planned event becomes confirmed through the status machine (a
 * draft stays the captains' working copy), and the template's "contact the community" item
 * is checked off, whichever language it was written in.
 */
export async function applyConfirmation(
	tx: Tx,
	event: { id: string; teamId: string; status: EventStatus }
): Promise<void> {
	if (event.status !== 'confirmed' && canTransition(event.status, 'confirmed')) {
		await tx
			.update(events)
			.set({ status: 'confirmed', updatedAt: sql`now()` })
			.where(eq(events.id, event.id));
		await hint(tx, `team:${event.teamId}`, ['events'], [event.id]);
	}
	const titles = locales.map((locale) => m.events_template_contact_community({}, { locale }));
	const checked = await tx
		.update(checklistItems)
		.set({ doneAt: sql`now()`, doneBy: null })
		.where(
			and(
				eq(checklistItems.eventId, event.id),
				inArray(checklistItems.title, titles),
				isNull(checklistItems.doneAt)
			)
		)
		.returning({ id: checklistItems.id });
	const kinds = checked.length > 0 ? ['contacts', 'event', 'checklist'] : ['contacts', 'event'];
	await hint(tx, `event:${event.id}`, kinds, [event.id]);
}

/**
 * The community's yes no longer holds (they asked for another date, or the team moved the
 * event): a confirmed event goes back to planned. This is the one move against the captains'
 * status machine, because "confirmed" means "confirmed by the community".
 */
export async function withdrawConfirmation(
	tx: Tx,
	event: { id: string; teamId: string; status: EventStatus }
): Promise<void> {
	if (event.status !== 'confirmed') return;
	await tx
		.update(events)
		.set({ status: 'planned', updatedAt: sql`now()` })
		.where(eq(events.id, event.id));
	await hint(tx, `team:${event.teamId}`, ['events'], [event.id]);
}

/**
 * Called by the events domain inside `updateEvent`, after the row is written. A change of
 * date, times or venue is kept in the history for the contact to see; a confirmation is then
 * void (back to pending, and the event back to planned).
 */
export async function onEventUpdated(
	tx: Tx,
	before: Schedule & { id: string; teamId: string; status: EventStatus },
	after: Schedule,
	actorId: string
): Promise<void> {
	const changes = scheduleChanges(before, after);
	if (changes.length === 0) return;
	const [contact] = await tx
		.select({ state: eventContacts.state })
		.from(eventContacts)
		.where(eq(eventContacts.eventId, before.id))
		.for('update');
	if (contact) {
		const state = contact.state === 'confirmed' ? 'pending' : contact.state;
		if (state !== contact.state) await setState(tx, before.id, state);
		await logAction(tx, before.id, {
			action: 'event_changed',
			stateAfter: state,
			userId: actorId,
			changes
		});
		await hint(tx, `event:${before.id}`, ['contacts'], [before.id]);
	}
	await withdrawConfirmation(tx, before);
}
