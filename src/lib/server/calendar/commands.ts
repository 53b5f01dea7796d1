// The .ics of one event and the personal subscription feed. A feed URL carries a random secret;
// only its SHA-256 is stored, one live feed per person, revocable at any time.
import { and, asc, eq, gte, inArray, isNull, ne, sql } from 'drizzle-orm';
import { getDb } from '../db';
import { agendaItems, calendarFeeds, events, teamMembers, teams, users } from '../db/schema';
import { NotFound } from '../errors';
import { generateToken, hashToken, isWellFormedToken } from '../auth/tokens';
import type { Actor } from '../teams/types';
import { requireEvent, type EventRow } from '../events/access';
import { addDays, hhmm, minutesOf, todayIn } from '$lib/time';
import { listClaimedTasksForFeed } from '../tasks/calendar-feed';
import { buildCalendar, type CalendarEvent } from './ics';

function describe(event: EventRow, agenda: { startTime: string; title: string }[]): string {
	return [
		event.theme,
		event.meetingPoint && `📍 ${event.meetingPoint}`,
		event.transport,
		...agenda.map((a) => `${hhmm(minutesOf(a.startTime))} ${a.title}`)
	]
		.filter(Boolean)
		.join('\n');
}

function location(event: EventRow): string | null {
	return [event.venueName, event.venueAddress].filter(Boolean).join(', ') || null;
}

interface TeamEvent {
	event: EventRow;
	teamName: string;
}

/**
 * The one calendar, for the download and the feed alike: each event (titled with its team,
 * run of show in the description and as transparent items), the tasks the person holds a slot
 * in (not the waitlist) at the tasks' own times, and reminders a day and an hour before each.
 * The download is this calendar for one event; the feed, for all the person's events.
 */
async function personalCalendar(
	userId: string,
	rows: TeamEvent[],
	origin: string,
	tasksOf: { fromDate: string } | { eventId: string },
	timeZone?: string
): Promise<string> {
	const db = getDb();
	const ids = rows.map((r) => r.event.id);
	const agenda =
		ids.length === 0
			? []
			: await db
					.select({
						eventId: agendaItems.eventId,
						id: agendaItems.id,
						startTime: agendaItems.startTime,
						durationMinutes: agendaItems.durationMinutes,
						title: agendaItems.title
					})
					.from(agendaItems)
					.where(inArray(agendaItems.eventId, ids))
					.orderBy(asc(agendaItems.startTime), asc(agendaItems.createdAt));
	const items: CalendarEvent[] = rows.map(({ event, teamName }) => {
		const own = agenda.filter((a) => a.eventId === event.id);
		return {
			...event,
			title: `${event.title} · ${teamName}`,
			location: location(event),
			description: describe(event, own),
			url: `${origin}/teams/${event.teamId}/events/${event.id}`,
			agenda: own
		};
	});
	for (const task of await listClaimedTasksForFeed(userId, tasksOf)) {
		items.push({
			id: task.id,
			title: `${task.title} · ${task.eventTitle}`,
			date: task.date,
			startTime: task.startTime,
			endTime: task.endTime,
			timeZone: task.timeZone,
			status: task.eventStatus,
			location: task.place,
			description: '',
			url: `${origin}/teams/${task.teamId}/events/${task.eventId}/tasks/${task.id}`
		});
	}
	return buildCalendar('Tongxing', items, { alarms: true, timeZone });
}

/** One event, for download: the feed's calendar for this event (see `personalCalendar`). */
export async function eventCalendar(
	actor: Actor,
	teamId: string,
	eventId: string,
	origin: string
): Promise<{ filename: string; body: string }> {
	const db = getDb();
	const { event } = await requireEvent(db, actor, teamId, eventId);
	const [team] = await db.select({ name: teams.name }).from(teams).where(eq(teams.id, teamId));
	const body = await personalCalendar(
		actor.userId,
		[{ event, teamName: team.name }],
		origin,
		{ eventId },
		event.timeZone
	);
	return { filename: `event-${event.date}.ics`, body };
}

export interface FeedStatus {
	active: boolean;
	createdAt: Date | null;
}

export async function getFeedStatus(actor: Actor): Promise<FeedStatus> {
	const [row] = await getDb()
		.select({ createdAt: calendarFeeds.createdAt })
		.from(calendarFeeds)
		.where(and(eq(calendarFeeds.userId, actor.userId), isNull(calendarFeeds.revokedAt)));
	return { active: Boolean(row), createdAt: row?.createdAt ?? null };
}

/** A new secret URL; the previous one (if any) stops working in the same transaction. */
export async function createFeed(actor: Actor): Promise<{ token: string }> {
	const token = generateToken();
	await getDb().transaction(async (tx) => {
		// One person's feed changes run one after another: the partial unique index holds.
		await tx.execute(sql`select 1 from ${users} where ${users.id} = ${actor.userId} for update`);
		await tx
			.update(calendarFeeds)
			.set({ revokedAt: sql`now()` })
			.where(and(eq(calendarFeeds.userId, actor.userId), isNull(calendarFeeds.revokedAt)));
		await tx.insert(calendarFeeds).values({ userId: actor.userId, tokenHash: hashToken(token) });
	});
	return { token };
}

export async function revokeFeed(actor: Actor): Promise<void> {
	await getDb()
		.update(calendarFeeds)
		.set({ revokedAt: sql`now()` })
		.where(and(eq(calendarFeeds.userId, actor.userId), isNull(calendarFeeds.revokedAt)));
}

/**
 * The subscription itself, read by a calendar app without a session: the secret is the key.
 * The person's events in every team, from 90 days back; drafts stay out (they are captains'
 * working copies), cancelled ones are marked so; the calendar is `personalCalendar`'s.
 */
export async function renderFeed(
	token: string,
	origin: string,
	now: Date = new Date()
): Promise<string> {
	if (!isWellFormedToken(token)) throw new NotFound('calendar_error_feed_not_found');
	const db = getDb();
	const [feed] = await db
		.select({ userId: calendarFeeds.userId })
		.from(calendarFeeds)
		.where(and(eq(calendarFeeds.tokenHash, hashToken(token)), isNull(calendarFeeds.revokedAt)));
	if (!feed) throw new NotFound('calendar_error_feed_not_found');
	const myTeams = db
		.select({ teamId: teamMembers.teamId })
		.from(teamMembers)
		.where(eq(teamMembers.userId, feed.userId));
	const fromDate = addDays(todayIn('Asia/Shanghai', now), -90);
	const rows = await db
		.select({ event: events, teamName: teams.name })
		.from(events)
		.innerJoin(teams, eq(teams.id, events.teamId))
		.where(
			and(inArray(events.teamId, myTeams), ne(events.status, 'draft'), gte(events.date, fromDate))
		)
		.orderBy(asc(events.date))
		.limit(500);
	return personalCalendar(feed.userId, rows, origin, { fromDate });
}
