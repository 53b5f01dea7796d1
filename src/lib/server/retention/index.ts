// Retention (DOMAIN.md: free text such as incident reports and notes may name a child by
// mistake, so it is erased a set time after the event; counts remain. PIPL: the community
// contact's details go a set time after the event). Reads already hide what is due; these
// sweeps remove it from the database, hourly, whether or not anyone opens a page, so that
// backups taken later no longer hold it either.
import { sql } from 'drizzle-orm';
import { getDb, rowsOf, type Queryable } from '../db';
import { sweepExpiredText } from '../incidents/commands';
import { eraseExpiredContacts } from '../contacts/erasure';

const SWEEP_EVERY_MS = 60 * 60 * 1000;

/** The instant an event's text is due: its end plus the day settings' retention days. */
const dueBefore = (now: Date) => sql`((e.date + e.end_time) at time zone e.time_zone)
	+ make_interval(days => coalesce(
		(select s.retention_days from public.day_settings s where s.event_id = e.id), 90))
	<= ${now.toISOString()}::timestamptz`;

export interface NotesErased {
	rehearsalNotes: number;
	announcements: number;
	eventNotes: number;
}

/**
 * Erases the notes DOMAIN.md names with incident text: rehearsal notes (the row stays, so the
 * count of rehearsals remains), the event's announcements (nothing of one is left without its
 * text) and the event's own notes. Idempotent: it only ever removes what is due.
 */
export async function eraseExpiredNotes(
	now: Date = new Date(),
	db: Queryable = getDb()
): Promise<NotesErased> {
	return db.transaction(async (tx) => {
		const rehearsalNotes = rowsOf(
			await tx.execute(sql`update public.rehearsals r set note = null
				from public.tasks t join public.events e on e.id = t.event_id
				where r.task_id = t.id and r.note is not null and ${dueBefore(now)}
				returning r.id`)
		).length;
		const announcements = rowsOf(
			await tx.execute(sql`delete from public.announcements a using public.events e
				where a.event_id = e.id and ${dueBefore(now)}
				returning a.id`)
		).length;
		const eventNotes = rowsOf(
			await tx.execute(sql`update public.events e set notes = null
				where e.notes is not null and ${dueBefore(now)}
				returning e.id`)
		).length;
		return { rehearsalNotes, announcements, eventNotes };
	});
}

export interface RetentionReport extends NotesErased {
	incidents: number;
	contacts: number;
}

/** Every retention duty at once; each part is safe to run from many instances together. */
export async function sweepRetention(now: Date = new Date()): Promise<RetentionReport> {
	const incidents = await sweepExpiredText(now);
	const contacts = await eraseExpiredContacts({ now });
	return { incidents, contacts, ...(await eraseExpiredNotes(now)) };
}

/** Runs the sweeps now and every hour in this process; returns a stop function. */
export function startRetentionSweeps(log: (line: string) => void = console.log): () => void {
	const run = () =>
		sweepRetention().then(
			(report) => {
				const total = Object.values(report).reduce((n, v) => n + v, 0);
				if (total > 0) log(`[retention] erased ${JSON.stringify(report)}`);
			},
			(err: unknown) => log(`[retention] sweep failed: ${String(err)}`)
		);
	void run();
	const timer = setInterval(() => void run(), SWEEP_EVERY_MS);
	timer.unref();
	return () => clearInterval(timer);
}
