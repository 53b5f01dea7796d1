// The claimed tasks behind a person's calendar feed and an event's calendar download.
import { and, asc, eq, gte, inArray } from 'drizzle-orm';
import { getDb } from '../db';
import { events, taskSignups, tasks, teamMembers } from '../db/schema';

/**
 * The tasks a person holds a slot in, for their calendar: from a date on (the feed: events not
 * drafts), or of one event they may see (its download).
 */
export async function listClaimedTasksForFeed(
	userId: string,
	of: { fromDate: string } | { eventId: string }
) {
	return getDb()
		.select({
			id: tasks.id,
			title: tasks.title,
			date: tasks.date,
			startTime: tasks.startTime,
			endTime: tasks.endTime,
			place: tasks.place,
			eventId: events.id,
			teamId: events.teamId,
			eventTitle: events.title,
			eventStatus: events.status,
			timeZone: events.timeZone
		})
		.from(taskSignups)
		.innerJoin(tasks, eq(tasks.id, taskSignups.taskId))
		.innerJoin(events, eq(events.id, taskSignups.eventId))
		.innerJoin(
			teamMembers,
			and(eq(teamMembers.teamId, events.teamId), eq(teamMembers.userId, userId))
		)
		.where(
			and(
				eq(taskSignups.userId, userId),
				eq(taskSignups.status, 'claimed'),
				...('eventId' in of
					? [eq(taskSignups.eventId, of.eventId)]
					: [
							gte(tasks.date, of.fromDate),
							inArray(events.status, ['planned', 'confirmed', 'completed', 'cancelled'])
						])
			)
		)
		.orderBy(asc(tasks.date), asc(tasks.startTime))
		.limit(500);
}
