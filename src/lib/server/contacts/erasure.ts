// Erasing the contact's details a set time after the event (PIPL). Reads already hide them
// from that moment (derived); this sweep removes them from the database. One sweeper per
// database at a time: the transaction-scoped advisory lock lets other instances skip the turn.
// `retention/` runs it hourly with the other retention sweeps.
import { and, inArray, isNull, sql } from 'drizzle-orm';
import { getDb, rowsOf, type Queryable } from '../db';
import { contactHistory, contactLinks } from '../db/schema';
import { retentionDays as configuredRetention } from './settings';

/** A fixed key ("Cont" in ASCII), so every instance competes for the same lock. */
const SWEEP_LOCK = 0x436f6e74;

export async function eraseExpiredContacts({
	now = new Date(),
	retentionDays = configuredRetention(),
	db = getDb()
}: { now?: Date; retentionDays?: number; db?: Queryable } = {}): Promise<number> {
	return db.transaction(async (tx) => {
		const [lock] = rowsOf<{ ok: boolean }>(
			await tx.execute(sql`select pg_try_advisory_xact_lock(${SWEEP_LOCK}) as ok`)
		);
		if (!lock?.ok) return 0;
		const nowSql = sql`${now.toISOString()}::timestamptz`;
		// The end of the event's day plus the retention, on the event's own calendar.
		const due = rowsOf<{ event_id: string }>(
			await tx.execute(sql`update event_contacts c
				set name = null, organization = null, phone = null, email = null, needs_note = null,
					erased_at = ${nowSql}, updated_at = ${nowSql}
				from events e
				where e.id = c.event_id and c.erased_at is null
					and ((e.date + ${retentionDays}::int + 1)::timestamp at time zone e.time_zone) <= ${nowSql}
				returning c.event_id`)
		);
		const ids = due.map((r) => r.event_id);
		if (ids.length === 0) return 0;
		await tx.update(contactHistory).set({ note: null }).where(inArray(contactHistory.eventId, ids));
		await tx
			.update(contactLinks)
			.set({ revokedAt: sql`${nowSql}` })
			.where(and(inArray(contactLinks.eventId, ids), isNull(contactLinks.revokedAt)));
		return ids.length;
	});
}
