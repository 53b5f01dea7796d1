// What the team sees of the confirmation: every member the state (and the warning a week
// before), captains the contact, the link and the whole history.
import { and, desc, eq, isNull } from 'drizzle-orm';
import {
	contactHistory,
	contactLinks,
	eventContacts,
	users,
	type ContactAction,
	type ContactState,
	type ScheduleChange
} from '../db/schema';
import { requireCaptain, type EventRow } from '../events/access';
import { eventRead } from '../events/scope';
import { isOpen } from '../events/policy';
import { erasureAt, linkExpiresAt, needsWarning } from './policy';
import { retentionDays } from './settings';

export interface ContactSummary {
	state: ContactState | null;
	stateChangedAt: Date | null;
	hasLink: boolean;
	isWarning: boolean;
}

/** For the event's overview: any member who may see the event. */
export const getContactSummary = eventRead(
	async (db, { event }, { eventId }, now: Date = new Date()): Promise<ContactSummary> => {
		const [row] = await db
			.select({
				state: eventContacts.state,
				stateChangedAt: eventContacts.stateChangedAt,
				linkId: contactLinks.id
			})
			.from(eventContacts)
			.leftJoin(
				contactLinks,
				and(eq(contactLinks.eventId, eventContacts.eventId), isNull(contactLinks.revokedAt))
			)
			.where(eq(eventContacts.eventId, eventId));
		return {
			state: row?.state ?? null,
			stateChangedAt: row?.stateChangedAt ?? null,
			hasLink: Boolean(row?.linkId),
			isWarning: needsWarning(event, row?.state ?? null, now)
		};
	}
);

export interface HistoryItem {
	id: string;
	action: ContactAction;
	at: Date;
	isByContact: boolean;
	userName: string | null;
	stateAfter: ContactState;
	proposedDate: string | null;
	proposedStartTime: string | null;
	proposedEndTime: string | null;
	proposedVenue: string | null;
	note: string | null;
	changes: ScheduleChange[] | null;
}

export interface ContactPanel {
	event: EventRow;
	canEdit: boolean;
	isErased: boolean;
	contact: {
		name: string | null;
		organization: string | null;
		phone: string | null;
		email: string | null;
		needsRoom: boolean;
		needsTables: boolean;
		needsElectricity: boolean;
		needsStaff: boolean;
		needsNote: string | null;
		shownCaptainId: string | null;
		shownCaptainName: string | null;
	} | null;
	state: ContactState | null;
	link: { createdAt: Date; expiresAt: Date; isExpired: boolean; validDaysAfter: number } | null;
	history: HistoryItem[];
	/** The proposal the captains may accept, while one is waiting. */
	proposal: HistoryItem | null;
	isWarning: boolean;
	erasureAt: Date;
}

/** The Community tab: captains only (the contact's details are personal information). */
export const getContactPanel = eventRead(
	async (db, access, { eventId }, now: Date = new Date()): Promise<ContactPanel> => {
		requireCaptain(access);
		const { event } = access;
		const erasesAt = erasureAt(event, retentionDays());
		const [[row], [link], rows] = await Promise.all([
			db
				.select({ contact: eventContacts, shownCaptainName: users.displayName })
				.from(eventContacts)
				.leftJoin(users, eq(users.id, eventContacts.shownCaptainId))
				.where(eq(eventContacts.eventId, eventId)),
			db
				.select()
				.from(contactLinks)
				.where(and(eq(contactLinks.eventId, eventId), isNull(contactLinks.revokedAt))),
			db
				.select({ history: contactHistory, userName: users.displayName })
				.from(contactHistory)
				.leftJoin(users, eq(users.id, contactHistory.userId))
				.where(eq(contactHistory.eventId, eventId))
				.orderBy(desc(contactHistory.at), desc(contactHistory.id))
				.limit(200)
		]);
		// Derived, so the details are gone on time even before the sweeper has run.
		const isErased = Boolean(row?.contact.erasedAt) || now >= erasesAt;
		const history: HistoryItem[] = rows.map(({ history: h, userName }) => ({
			id: h.id,
			action: h.action,
			at: h.at,
			isByContact: h.isByContact,
			userName,
			stateAfter: h.stateAfter,
			proposedDate: h.proposedDate,
			proposedStartTime: h.proposedStartTime,
			proposedEndTime: h.proposedEndTime,
			proposedVenue: h.proposedVenue,
			note: isErased ? null : h.note,
			changes: h.changes
		}));
		const c = row?.contact;
		const expiresAt = link ? linkExpiresAt(event, link.validDaysAfter) : null;
		return {
			event,
			canEdit: isOpen(event.status),
			isErased,
			contact: c
				? {
						name: isErased ? null : c.name,
						organization: isErased ? null : c.organization,
						phone: isErased ? null : c.phone,
						email: isErased ? null : c.email,
						needsRoom: c.needsRoom,
						needsTables: c.needsTables,
						needsElectricity: c.needsElectricity,
						needsStaff: c.needsStaff,
						needsNote: isErased ? null : c.needsNote,
						shownCaptainId: c.shownCaptainId,
						shownCaptainName: row.shownCaptainName
					}
				: null,
			state: c?.state ?? null,
			link:
				link && expiresAt
					? {
							createdAt: link.createdAt,
							expiresAt,
							isExpired: now >= expiresAt,
							validDaysAfter: link.validDaysAfter
						}
					: null,
			history,
			proposal:
				c?.state === 'change_requested'
					? (history.find((h) => h.action === 'change_requested') ?? null)
					: null,
			isWarning: needsWarning(event, c?.state ?? null, now),
			erasureAt: erasesAt
		};
	}
);
