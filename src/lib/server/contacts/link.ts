// The contact's side: no account, the link's secret is the key. What the link shows is chosen
// field by field here, so nothing else about the team (no member's name or contact) can slip
// onto the page: only the captain who chose to be shown.
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { getDb, rowsOf, type Queryable, type Tx } from '../db';
import {
	agendaItems,
	contactHistory,
	contactLinks,
	eventContacts,
	eventGroups,
	events,
	groupMembers,
	teamMembers,
	teams,
	users,
	type ContactAction,
	type ContactState,
	type ScheduleChange
} from '../db/schema';
import type { EventRow } from '../events/access';
import { Conflict, NotFound } from '../errors';
import { parseInput } from '../validate';
import { hint } from '../realtime/publish';
import { hashToken, isWellFormedToken } from '../auth/tokens';
import { buildCalendar } from '../calendar/ics';
import { proposalSchema } from '$lib/schemas/contacts';
import { hhmm, minutesOf } from '$lib/time';
import { applyConfirmation, logAction, setState, withdrawConfirmation } from './effects';
import { canAnswer, erasureAt, linkExpiresAt } from './policy';
import { retentionDays } from './settings';
import { postEventCounts, type PostEventCounts } from '../summary/public-counts';

export type LinkStatus = 'valid' | 'revoked' | 'expired';

interface Found {
	status: LinkStatus;
	linkId: string;
	event: typeof events.$inferSelect;
	expiresAt: Date;
}

/** An unknown or malformed token is NotFound (the route counts it against the address). */
async function findLink(db: Queryable, token: string, now: Date, lock = false): Promise<Found> {
	if (!isWellFormedToken(token)) throw new NotFound('contact_error_link_unknown');
	const query = db
		.select({ link: contactLinks, event: events })
		.from(contactLinks)
		.innerJoin(events, eq(events.id, contactLinks.eventId))
		.where(eq(contactLinks.tokenHash, hashToken(token)));
	const [row] = lock ? await query.for('update', { of: events }) : await query;
	if (!row) throw new NotFound('contact_error_link_unknown');
	const expiresAt = linkExpiresAt(row.event, row.link.validDaysAfter);
	const status: LinkStatus = row.link.revokedAt
		? 'revoked'
		: now >= expiresAt ||
			  row.event.status === 'cancelled' ||
			  now >= erasureAt(row.event, retentionDays())
			? 'expired'
			: 'valid';
	return { status, linkId: row.link.id, event: row.event, expiresAt };
}

export interface ContactAnswer {
	action: ContactAction;
	at: Date;
	isByContact: boolean;
	note: string | null;
	proposedDate: string | null;
	proposedStartTime: string | null;
	proposedEndTime: string | null;
	proposedVenue: string | null;
	changes: ScheduleChange[] | null;
}

/** The event as the community sees it: when, where and how many, never who. */
type EventForContact = Pick<
	EventRow,
	| 'title'
	| 'date'
	| 'startTime'
	| 'endTime'
	| 'timeZone'
	| 'status'
	| 'communityName'
	| 'venueName'
	| 'venueAddress'
	| 'expectedChildren'
>;

export interface ContactView extends EventForContact {
	teamName: string;
	expectedVolunteers: number;
	agenda: { startTime: string; title: string }[];
	needs: { room: boolean; tables: boolean; electricity: boolean; staff: boolean };
	needsNote: string | null;
	captain: { name: string; phone: string | null } | null;
	state: ContactState;
	canAnswer: boolean;
	expiresAt: Date;
	/** What the contact and the team said and did, oldest first (link handling left out). */
	history: ContactAnswer[];
	/** Date, time or venue changes since the contact last answered. */
	changesSinceAnswer: ScheduleChange[];
	/** After the day: what it amounted to, in counts. */
	afterEvent: PostEventCounts | null;
}

export type ContactPage =
	{ status: 'valid'; view: ContactView } | { status: 'revoked' | 'expired' };

const SHOWN_ACTIONS: ContactAction[] = [
	'confirmed',
	'change_requested',
	'change_accepted',
	'team_replied',
	'event_changed',
	'proposal_withdrawn'
];

/** Opening the link only reads: link previews and preloading follow links. */
export async function openContactLink(
	token: string,
	{ now = new Date() }: { now?: Date } = {}
): Promise<ContactPage> {
	const read = await readLink(token, now);
	return read.status === 'valid' ? { status: 'valid', view: read.view } : { status: read.status };
}

async function readLink(
	token: string,
	now: Date
): Promise<
	{ status: 'valid'; eventId: string; view: ContactView } | { status: 'revoked' | 'expired' }
> {
	const db = getDb();
	const found = await findLink(db, token, now);
	if (found.status !== 'valid') return { status: found.status };
	const { event } = found;
	const [[contact], [team], agenda, counts, [captain], history] = await Promise.all([
		db.select().from(eventContacts).where(eq(eventContacts.eventId, event.id)),
		db.select({ name: teams.name }).from(teams).where(eq(teams.id, event.teamId)),
		db
			.select({ startTime: agendaItems.startTime, title: agendaItems.title })
			.from(agendaItems)
			.where(eq(agendaItems.eventId, event.id))
			.orderBy(asc(agendaItems.startTime), asc(agendaItems.createdAt)),
		db.execute(sql`select
			(select count(*)::int from (
				select ${groupMembers.userId} as id from ${groupMembers} where ${groupMembers.eventId} = ${event.id}
				union
				select ${eventGroups.leaderId} from ${eventGroups}
				where ${eventGroups.eventId} = ${event.id} and ${eventGroups.leaderId} is not null
			) grouped) as grouped,
			(select coalesce(sum(${eventGroups.childrenCount}), 0)::int from ${eventGroups}
				where ${eventGroups.eventId} = ${event.id}) as children,
			(select count(*)::int from ${teamMembers} where ${teamMembers.teamId} = ${event.teamId}) as team`),
		// The shown captain only while they are still a captain of this team.
		db
			.select({ name: users.displayName, phone: users.phone })
			.from(eventContacts)
			.innerJoin(users, eq(users.id, eventContacts.shownCaptainId))
			.innerJoin(
				teamMembers,
				and(
					eq(teamMembers.userId, eventContacts.shownCaptainId),
					eq(teamMembers.teamId, event.teamId),
					eq(teamMembers.role, 'captain')
				)
			)
			.where(eq(eventContacts.eventId, event.id)),
		db
			.select({
				action: contactHistory.action,
				at: contactHistory.at,
				isByContact: contactHistory.isByContact,
				note: contactHistory.note,
				proposedDate: contactHistory.proposedDate,
				proposedStartTime: contactHistory.proposedStartTime,
				proposedEndTime: contactHistory.proposedEndTime,
				proposedVenue: contactHistory.proposedVenue,
				changes: contactHistory.changes
			})
			.from(contactHistory)
			.where(
				and(eq(contactHistory.eventId, event.id), inArray(contactHistory.action, SHOWN_ACTIONS))
			)
			.orderBy(asc(contactHistory.at), asc(contactHistory.id))
	]);
	const [staff] = rowsOf<{ grouped: number; children: number; team: number }>(counts);
	const afterEvent = await postEventCounts(db, event, now);
	const lastAnswer = history.findLastIndex((h) => h.isByContact || h.action === 'change_accepted');
	return {
		status: 'valid',
		eventId: event.id,
		view: {
			teamName: team.name,
			title: event.title,
			date: event.date,
			startTime: event.startTime,
			endTime: event.endTime,
			timeZone: event.timeZone,
			status: event.status,
			communityName: event.communityName,
			venueName: event.venueName,
			venueAddress: event.venueAddress,
			// Once groups are formed they say who comes; before that, the whole team might.
			expectedVolunteers: Number(staff.grouped) > 0 ? Number(staff.grouped) : Number(staff.team),
			expectedChildren: event.expectedChildren ?? (Number(staff.children) || null),
			agenda,
			needs: {
				room: contact.needsRoom,
				tables: contact.needsTables,
				electricity: contact.needsElectricity,
				staff: contact.needsStaff
			},
			needsNote: contact.needsNote,
			captain: captain ?? null,
			state: contact.state,
			canAnswer: canAnswer(event, now),
			expiresAt: found.expiresAt,
			history,
			afterEvent,
			changesSinceAnswer: history
				.slice(lastAnswer + 1)
				.flatMap((h) => (h.action === 'event_changed' ? (h.changes ?? []) : []))
		}
	};
}

/** A valid link whose event has not begun, with the event row locked; else why not. */
async function requireAnswerable(tx: Tx, token: string, now: Date) {
	const found = await findLink(tx, token, now, true);
	if (found.status === 'revoked') throw new Conflict('contact_error_link_revoked');
	if (found.status === 'expired') throw new Conflict('contact_error_link_expired');
	if (!canAnswer(found.event, now)) throw new Conflict('contact_error_too_late');
	const [contact] = await tx
		.select({ state: eventContacts.state })
		.from(eventContacts)
		.where(eq(eventContacts.eventId, found.event.id))
		.for('update');
	return { event: found.event, state: contact.state };
}

/**
 * Yes to the date, time and venue as they are now. Saying yes twice changes nothing. While the
 * contact's own proposal is open it is refused: their yes would confirm the arrangement they
 * asked to change. They wait for the team to accept it (which confirms it), or withdraw it.
 */
export async function confirmAsContact(
	token: string,
	{ now = new Date() }: { now?: Date } = {}
): Promise<{ changed: boolean }> {
	return getDb().transaction(async (tx) => {
		const { event, state } = await requireAnswerable(tx, token, now);
		if (state === 'confirmed') return { changed: false };
		if (state === 'change_requested') throw new Conflict('contact_error_proposal_open');
		await setState(tx, event.id, 'confirmed');
		await logAction(tx, event.id, { action: 'confirmed', stateAfter: 'confirmed' });
		await applyConfirmation(tx, event);
		return { changed: true };
	});
}

/** Another date, time or venue, with a note; a yes given before no longer holds. */
export async function proposeAsContact(
	token: string,
	input: Record<string, unknown>,
	{ now = new Date() }: { now?: Date } = {}
): Promise<void> {
	const proposal = parseInput(proposalSchema, input);
	await getDb().transaction(async (tx) => {
		const { event } = await requireAnswerable(tx, token, now);
		const isSame =
			proposal.date === event.date &&
			proposal.startTime === event.startTime &&
			proposal.endTime === event.endTime &&
			(proposal.venue === null || proposal.venue === event.venueName);
		if (isSame && !proposal.note) throw new Conflict('contact_error_nothing_proposed');
		await setState(tx, event.id, 'change_requested');
		await logAction(tx, event.id, {
			action: 'change_requested',
			stateAfter: 'change_requested',
			proposedDate: proposal.date,
			proposedStartTime: proposal.startTime,
			proposedEndTime: proposal.endTime,
			proposedVenue: proposal.venue,
			note: proposal.note
		});
		await withdrawConfirmation(tx, event);
		await hint(tx, `event:${event.id}`, ['contacts', 'event'], [event.id]);
	});
}

/**
 * The contact takes their open proposal back: the answer is pending again, the arrangements
 * stay as they are (not confirmed), and the contact may then confirm them or propose again.
 */
export async function withdrawProposalAsContact(
	token: string,
	{ now = new Date() }: { now?: Date } = {}
): Promise<void> {
	await getDb().transaction(async (tx) => {
		const { event, state } = await requireAnswerable(tx, token, now);
		if (state !== 'change_requested') throw new Conflict('contact_error_no_open_proposal');
		await setState(tx, event.id, 'pending');
		await logAction(tx, event.id, { action: 'proposal_withdrawn', stateAfter: 'pending' });
		await hint(tx, `event:${event.id}`, ['contacts'], [event.id]);
	});
}

/** The add-to-calendar file: the event and its run of show, nothing about the team's people. */
export async function contactCalendar(
	token: string,
	origin: string,
	{ now = new Date() }: { now?: Date } = {}
): Promise<{ filename: string; body: string }> {
	const read = await readLink(token, now);
	if (read.status !== 'valid') throw new NotFound('contact_error_link_unknown');
	const { view } = read;
	const body = buildCalendar(view.title, [
		{
			id: read.eventId,
			title: `${view.title} · ${view.teamName}`,
			date: view.date,
			startTime: view.startTime,
			endTime: view.endTime,
			timeZone: view.timeZone,
			status: view.status,
			location: [view.venueName, view.venueAddress].filter(Boolean).join(', ') || null,
			description: view.agenda.map((a) => `${hhmm(minutesOf(a.startTime))} ${a.title}`).join('\n'),
			url: origin
		}
	]);
	return { filename: `event-${view.date}.ics`, body };
}
