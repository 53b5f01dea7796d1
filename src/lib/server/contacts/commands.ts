// The team's side of the community confirmation: captains record the contact, hand out and
// revoke the private link, accept a proposed change or answer it. One transaction each, with
// the event row locked like every plan change.
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { getDb, type Tx } from '../db';
import { contactHistory, contactLinks, eventContacts } from '../db/schema';
import { Conflict, NotFound } from '../errors';
import { parseInput } from '../validate';
import { hint } from '../realtime/publish';
import { generateToken, hashToken } from '../auth/tokens';
import { requireCaptain, requireEvent } from '../events/access';
import { updateEventIn } from '../events/lifecycle';
import { contactLinkSchema, contactSchema, replySchema } from '$lib/schemas/contacts';
import { applyConfirmation, logAction, setState } from './effects';
import { recordAudit } from '../audit/commands';
import { inEvent, requireScope, type EventScope } from '../events/scope';

async function requireContact(tx: Tx, eventId: string) {
	const [contact] = await tx
		.select()
		.from(eventContacts)
		.where(eq(eventContacts.eventId, eventId))
		.for('update');
	if (!contact || contact.erasedAt) throw new NotFound('contact_error_no_contact');
	return contact;
}

/** Records (or corrects) the contact and what the team needs; the first time, state pending. */
export async function saveContact(
	scope: EventScope,
	input: Record<string, unknown>
): Promise<void> {
	const { actor, eventId } = scope;
	const { showCaptain, ...fields } = parseInput(contactSchema, input);
	await inEvent(scope, 'plan', async (tx) => {
		const [current] = await tx
			.select({ shownCaptainId: eventContacts.shownCaptainId })
			.from(eventContacts)
			.where(eq(eventContacts.eventId, eventId))
			.for('update');
		// Only a captain may put their own name and phone on the link, and only they take it off.
		const shownCaptainId = showCaptain
			? actor.userId
			: current?.shownCaptainId === actor.userId
				? null
				: (current?.shownCaptainId ?? null);
		const values = { ...fields, shownCaptainId, erasedAt: null, updatedAt: sql`now()` };
		await tx
			.insert(eventContacts)
			.values({ eventId, ...values })
			.onConflictDoUpdate({ target: eventContacts.eventId, set: values });
		const [{ state }] = await tx
			.select({ state: eventContacts.state })
			.from(eventContacts)
			.where(eq(eventContacts.eventId, eventId));
		await logAction(tx, eventId, { action: 'recorded', stateAfter: state, userId: actor.userId });
		await hint(tx, `event:${eventId}`, ['contacts'], [eventId]);
	});
}

/**
 * A new private link; the live one (if any) stops working in the same transaction. The token
 * is returned once and never stored.
 */
export async function createContactLink(
	scope: EventScope,
	input: Record<string, unknown> = {}
): Promise<{ token: string }> {
	const { actor, teamId, eventId } = scope;
	const { validDaysAfter } = parseInput(contactLinkSchema, input);
	const token = generateToken();
	await inEvent(scope, 'plan', async (tx) => {
		const contact = await requireContact(tx, eventId);
		await tx
			.update(contactLinks)
			.set({ revokedAt: sql`now()` })
			.where(and(eq(contactLinks.eventId, eventId), isNull(contactLinks.revokedAt)));
		await tx.insert(contactLinks).values({
			eventId,
			tokenHash: hashToken(token),
			validDaysAfter,
			createdBy: actor.userId
		});
		await logAction(tx, eventId, {
			action: 'link_created',
			stateAfter: contact.state,
			userId: actor.userId
		});
		await recordAudit(tx, {
			teamId,
			actorId: actor.userId,
			action: 'contact_link_created',
			targetEventId: eventId,
			details: { validDaysAfter }
		});
		await hint(tx, `event:${eventId}`, ['contacts'], [eventId]);
	});
	return { token };
}

/** Revoking works on a finished event too: closing a door is always allowed. */
export async function revokeContactLink(scope: EventScope): Promise<void> {
	const { actor, teamId, eventId } = scope;
	await getDb().transaction(async (tx) => {
		requireCaptain(await requireScope(tx, scope, 'update'));
		const revoked = await tx
			.update(contactLinks)
			.set({ revokedAt: sql`now()` })
			.where(and(eq(contactLinks.eventId, eventId), isNull(contactLinks.revokedAt)))
			.returning({ id: contactLinks.id });
		if (revoked.length === 0) throw new NotFound('contact_error_no_link');
		const [contact] = await tx
			.select({ state: eventContacts.state })
			.from(eventContacts)
			.where(eq(eventContacts.eventId, eventId));
		await logAction(tx, eventId, {
			action: 'link_revoked',
			stateAfter: contact.state,
			userId: actor.userId
		});
		await recordAudit(tx, {
			teamId,
			actorId: actor.userId,
			action: 'contact_link_revoked',
			targetEventId: eventId
		});
		await hint(tx, `event:${eventId}`, ['contacts'], [eventId]);
	});
}

/**
 * The captain takes the contact's latest proposal: the event is updated through the events
 * domain (in this transaction), and since both sides now agree, the event is confirmed.
 */
export async function acceptProposal(scope: EventScope): Promise<void> {
	const { actor, teamId, eventId } = scope;
	await getDb().transaction(async (tx) => {
		const { event } = await requireScope(tx, scope, 'plan');
		const contact = await requireContact(tx, eventId);
		if (contact.state !== 'change_requested') throw new Conflict('contact_error_no_proposal');
		const [proposal] = await tx
			.select()
			.from(contactHistory)
			.where(
				and(eq(contactHistory.eventId, eventId), eq(contactHistory.action, 'change_requested'))
			)
			.orderBy(desc(contactHistory.at))
			.limit(1);
		if (!proposal?.proposedDate || !proposal.proposedStartTime || !proposal.proposedEndTime) {
			throw new Conflict('contact_error_no_proposal');
		}
		const {
			id: _i,
			teamId: _t,
			status: _s,
			createdBy: _c,
			createdAt: _a,
			updatedAt: _u,
			...fields
		} = event;
		await updateEventIn(
			tx,
			{ actor, teamId, eventId },
			{
				...fields,
				date: proposal.proposedDate,
				startTime: proposal.proposedStartTime,
				endTime: proposal.proposedEndTime,
				venueName: proposal.proposedVenue ?? event.venueName
			}
		);
		await setState(tx, eventId, 'confirmed');
		await logAction(tx, eventId, {
			action: 'change_accepted',
			stateAfter: 'confirmed',
			userId: actor.userId
		});
		// `updateEventIn` has moved a confirmed event back to planned; read what it is now.
		const { event: now } = await requireEvent(tx, actor, teamId, eventId);
		await applyConfirmation(tx, now);
	});
}

/** A note the contact sees on their link (for example: "that day the bus does not run"). */
export async function replyToContact(scope: EventScope, input: { note?: unknown }): Promise<void> {
	const { actor, eventId } = scope;
	const { note } = parseInput(replySchema, input);
	await inEvent(scope, 'plan', async (tx) => {
		const contact = await requireContact(tx, eventId);
		await logAction(tx, eventId, {
			action: 'team_replied',
			stateAfter: contact.state,
			userId: actor.userId,
			note
		});
		await hint(tx, `event:${eventId}`, ['contacts'], [eventId]);
	});
}
