// What the community contact's link shows after the day: counts only (volunteers present,
// their hours, books and gifts handed out), never a name. Read without an actor: the link's
// secret is the key, and nothing here identifies anyone.
import { and, eq } from 'drizzle-orm';
import type { Queryable } from '../db';
import { attendance, type events } from '../db/schema';
import { stayMinutes } from '../attendance/hours';
import { sessionTimes } from '../attendance/queries';
import { donationTotals } from '../donations/queries';

export interface PostEventCounts {
	volunteers: number;
	/** Their minutes in all, shown with the one hours rule (`formatHours`). */
	minutes: number;
	books: number;
	gifts: number;
}

type EventRow = typeof events.$inferSelect;

/** Null before the day has ended, or when nothing was recorded for it (no summary exists). */
export async function postEventCounts(
	db: Queryable,
	event: EventRow,
	now: Date = new Date()
): Promise<PostEventCounts | null> {
	if (event.status === 'cancelled') return null;
	const { endsAt } = sessionTimes(event, 'day', '19:00');
	if (now < endsAt && event.status !== 'completed') return null;
	const [present, totals] = await Promise.all([
		db
			.select({ checkedInAt: attendance.checkedInAt, checkedOutAt: attendance.checkedOutAt })
			.from(attendance)
			.where(and(eq(attendance.eventId, event.id), eq(attendance.session, 'day'))),
		donationTotals(db, event.id)
	]);
	const handedOut = (categories: string[]) =>
		totals.filter((t) => categories.includes(t.category)).reduce((n, t) => n + t.distributed, 0);
	const books = handedOut(['books', 'exercise_books']);
	const gifts = handedOut(['small_gifts']);
	if (present.length === 0 && books === 0 && gifts === 0) return null;
	const minutes = present.reduce(
		(n, r) => n + stayMinutes(r.checkedInAt, r.checkedOutAt, endsAt).minutes,
		0
	);
	return { volunteers: present.length, minutes, books, gifts };
}
