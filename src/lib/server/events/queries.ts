import { and, asc, desc, eq, ne } from 'drizzle-orm';
import { getDb } from '../db';
import {
	agendaItems,
	announcements,
	checklistItems,
	events,
	teamMembers,
	users,
	type EventStatus,
	type TeamRole
} from '../db/schema';
import { displayNameOf } from '../db/display-name';
import { requireMembership, teamPickList } from '../teams/queries';
import type { Actor } from '../teams/types';
import { addDays, todayIn } from '$lib/time';
import { readEventAccess, type AccessMemo, type EventRow } from './access';
import { eventRead } from './scope';
import { TRANSITIONS, isOpen } from './policy';

export type EventSummary = Pick<
	EventRow,
	'id' | 'title' | 'date' | 'startTime' | 'endTime' | 'timeZone' | 'status' | 'communityName'
>;

/** The team page's list: upcoming (soonest first) and past (latest first), drafts for captains. */
export async function listTeamEvents(
	actor: Actor,
	teamId: string,
	now: Date = new Date()
): Promise<{ upcoming: EventSummary[]; past: EventSummary[]; canCreate: boolean }> {
	const db = getDb();
	const me = await requireMembership(db, teamId, actor);
	const rows = await db
		.select({
			id: events.id,
			title: events.title,
			date: events.date,
			startTime: events.startTime,
			endTime: events.endTime,
			timeZone: events.timeZone,
			status: events.status,
			communityName: events.communityName
		})
		.from(events)
		.where(
			me.role === 'captain'
				? eq(events.teamId, teamId)
				: and(eq(events.teamId, teamId), ne(events.status, 'draft'))
		)
		.orderBy(asc(events.date), asc(events.startTime))
		.limit(500);
	const isPast = (e: EventSummary) => e.date < todayIn(e.timeZone, now);
	return {
		upcoming: rows.filter((e) => !isPast(e)),
		past: rows.filter(isPast).reverse(),
		canCreate: me.role === 'captain'
	};
}

export interface Announcement {
	id: string;
	body: string;
	createdAt: Date;
	authorName: string | null;
}

export interface EventPage {
	event: EventRow;
	myRole: TeamRole;
	isCaptain: boolean;
	isOpen: boolean;
	nextStatuses: readonly EventStatus[];
	announcements: Announcement[];
	agenda: { id: string; startTime: string; durationMinutes: number; title: string }[];
	captains: { displayName: string; phone: string | null }[];
}

export const getEventPage = eventRead(
	async (db, access, { teamId, eventId }): Promise<EventPage> => {
		const [notices, agenda, captains] = await Promise.all([
			db
				.select({
					id: announcements.id,
					body: announcements.body,
					createdAt: announcements.createdAt,
					authorName: displayNameOf(announcements.authorId)
				})
				.from(announcements)
				.where(eq(announcements.eventId, eventId))
				.orderBy(desc(announcements.createdAt), desc(announcements.id))
				.limit(50),
			db
				.select({
					id: agendaItems.id,
					startTime: agendaItems.startTime,
					durationMinutes: agendaItems.durationMinutes,
					title: agendaItems.title
				})
				.from(agendaItems)
				.where(eq(agendaItems.eventId, eventId))
				.orderBy(asc(agendaItems.startTime)),
			listCaptains(teamId)
		]);
		return {
			event: access.event,
			myRole: access.role,
			isCaptain: access.isCaptain,
			isOpen: isOpen(access.event.status),
			nextStatuses: access.isCaptain ? TRANSITIONS[access.event.status] : [],
			announcements: notices,
			agenda,
			captains
		};
	}
);

/** Captains' phones are visible to every member (DOMAIN.md). */
export async function listCaptains(teamId: string) {
	return getDb()
		.select({ displayName: users.displayName, phone: users.phone })
		.from(teamMembers)
		.innerJoin(users, eq(users.id, teamMembers.userId))
		.where(and(eq(teamMembers.teamId, teamId), eq(teamMembers.role, 'captain')))
		.orderBy(asc(users.displayName));
}

/** The event itself, for its edit form (captains). */
export async function getEvent(actor: Actor, teamId: string, eventId: string, memo?: AccessMemo) {
	const access = await readEventAccess(actor, teamId, eventId, memo);
	return {
		event: access.event,
		role: access.role,
		isCaptain: access.isCaptain,
		isOpen: isOpen(access.event.status)
	};
}

export interface ChecklistEntry {
	id: string;
	title: string;
	daysBefore: number;
	dueDate: string;
	assigneeId: string | null;
	assigneeName: string | null;
	doneAt: Date | null;
	doneByName: string | null;
	/** Not done and due since the event was created: it slipped. */
	isOverdue: boolean;
	/** Not done and due before the event was even created: to do now, not a failure. */
	isDueNow: boolean;
	canCheck: boolean;
}

export const getChecklist = eventRead(
	async (db, access, { actor, teamId, eventId }, now: Date = new Date()) => {
		const rows = await db
			.select({
				id: checklistItems.id,
				title: checklistItems.title,
				daysBefore: checklistItems.daysBefore,
				assigneeId: checklistItems.assigneeId,
				assigneeName: displayNameOf(checklistItems.assigneeId),
				doneAt: checklistItems.doneAt,
				doneByName: displayNameOf(checklistItems.doneBy)
			})
			.from(checklistItems)
			.where(eq(checklistItems.eventId, eventId))
			.orderBy(
				desc(checklistItems.daysBefore),
				asc(checklistItems.createdAt),
				asc(checklistItems.id)
			);
		const today = todayIn(access.event.timeZone, now);
		const createdOn = todayIn(access.event.timeZone, access.event.createdAt);
		const open = isOpen(access.event.status);
		const items: ChecklistEntry[] = rows.map((row) => {
			const dueDate = addDays(access.event.date, -row.daysBefore);
			const isLate = !row.doneAt && dueDate < today;
			return {
				...row,
				dueDate,
				isOverdue: isLate && dueDate >= createdOn,
				isDueNow: isLate && dueDate < createdOn,
				canCheck: open && (access.isCaptain || row.assigneeId === actor.userId)
			};
		});
		const members = access.isCaptain ? await teamPickList(db, teamId) : [];
		return { event: access.event, isCaptain: access.isCaptain, isOpen: open, items, members };
	}
);
