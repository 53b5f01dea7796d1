// Incident commands. Any member reports; the event's staff (captains, its group leaders) move
// an incident open → acknowledged → resolved with one conditional update each, so two captains
// pressing "acknowledge" together cannot both win. Hints go on the staff-only topic.
import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { getDb, type Queryable, type Tx } from '../db';
import { eventGroups, incidents, type IncidentStatus } from '../db/schema';
import { Conflict, Forbidden, Invalid, NotFound } from '../errors';
import { parseInput } from '../validate';
import { hint } from '../realtime/publish';
import * as rateLimit from '../auth/rate-limit';
import { idSchema } from '$lib/schemas/common';
import { incidentSchema, resolutionSchema } from '$lib/schemas/incidents';
import { requireDayAccess, type DayAccess } from '../attendance/staff';
import { recordAudit } from '../audit/commands';
import { actedAt, takeKey, type Queued } from '../outbox';
import type { EventScope } from '../events/scope';

function requireReportable(access: DayAccess): void {
	if (access.event.status === 'draft' || access.event.status === 'cancelled') {
		throw new Conflict('incidents_error_not_running');
	}
}

export async function reportIncident(
	scope: EventScope,
	input: Record<string, unknown>,
	now: Date = new Date(),
	queued?: Queued
): Promise<{ id: string }> {
	const { actor, teamId, eventId } = scope;
	const data = parseInput(incidentSchema, input);
	await rateLimit.consume('incidentReport', actor.userId, { now });
	return getDb().transaction(async (tx) => {
		const access = await requireDayAccess(tx, actor, teamId, eventId, 'share');
		requireReportable(access);
		// Sent again from a phone's outbox after its first answer was lost: already here.
		const id = randomUUID();
		const repeat = await takeKey(tx, actor.userId, queued, 'incident', eventId, id);
		if (repeat) return { id: repeat.resultId ?? id };
		if (data.groupId) {
			const [group] = await tx
				.select({ id: eventGroups.id })
				.from(eventGroups)
				.where(and(eq(eventGroups.id, data.groupId), eq(eventGroups.eventId, eventId)));
			if (!group) throw new Invalid('invalid', { groupId: ['groups_error_not_found'] });
		}
		const [row] = await tx
			.insert(incidents)
			.values({
				...data,
				id,
				eventId,
				reporterId: actor.userId,
				createdAt: now,
				// Queued offline: when the reporter pressed send, by the wait the phone counted,
				// never later than now nor earlier than OFFLINE_CHECKIN_MAX before it.
				reportedAt: actedAt(now, queued)
			})
			.returning({ id: incidents.id });
		await hint(tx, `event-staff:${eventId}`, ['incidents'], [row.id]);
		return row;
	});
}

function requireStaff(access: DayAccess): void {
	if (!access.isStaff) throw new Forbidden('incidents_error_staff_only');
}

/** One step of open → acknowledged → resolved, by staff, in one transaction. */
function move(
	scope: EventScope,
	incidentId: string,
	from: IncidentStatus,
	set: Partial<typeof incidents.$inferInsert>
): Promise<void> {
	const { actor, teamId, eventId } = scope;
	return getDb().transaction(async (tx) => {
		requireStaff(await requireDayAccess(tx, actor, teamId, eventId, 'share'));
		await moveIn(tx, scope, incidentId, from, set);
	});
}

async function moveIn(
	tx: Tx,
	{ actor, teamId, eventId }: EventScope,
	incidentId: string,
	from: IncidentStatus,
	set: Partial<typeof incidents.$inferInsert>
): Promise<void> {
	const moved = await tx
		.update(incidents)
		.set(set)
		.where(
			and(eq(incidents.id, incidentId), eq(incidents.eventId, eventId), eq(incidents.status, from))
		)
		.returning({ id: incidents.id, category: incidents.category, severity: incidents.severity });
	if (moved.length > 0) {
		// Category and severity only: the text may describe a child and is erased later.
		await recordAudit(tx, {
			teamId,
			actorId: actor.userId,
			action: set.status === 'resolved' ? 'incident_resolved' : 'incident_acknowledged',
			targetEventId: eventId,
			targetId: incidentId,
			details: { category: moved[0].category, severity: moved[0].severity }
		});
		await hint(tx, `event-staff:${eventId}`, ['incidents'], [incidentId]);
		return;
	}
	const [current] = await tx
		.select({ status: incidents.status })
		.from(incidents)
		.where(and(eq(incidents.id, incidentId), eq(incidents.eventId, eventId)));
	if (!current) throw new NotFound('incidents_error_not_found');
	throw new Conflict(`incidents_error_already_${current.status}`);
}

export async function acknowledgeIncident(
	scope: EventScope,
	incidentId: string,
	now: Date = new Date()
): Promise<void> {
	const { actor } = scope;
	parseInput(idSchema, incidentId);
	await move(scope, incidentId, 'open', {
		status: 'acknowledged',
		acknowledgedAt: now,
		acknowledgedBy: actor.userId
	});
}

export async function resolveIncident(
	scope: EventScope,
	incidentId: string,
	resolutionInput: unknown,
	now: Date = new Date()
): Promise<void> {
	const { actor } = scope;
	parseInput(idSchema, incidentId);
	const resolution = parseInput(resolutionSchema, resolutionInput);
	await move(scope, incidentId, 'acknowledged', {
		status: 'resolved',
		resolvedAt: now,
		resolvedBy: actor.userId,
		resolution
	});
}

/**
 * Erases incident text whose retention has passed (the event's end + its retention days),
 * keeping the rows so counts remain. Reads already hide such text; this makes it gone. Safe
 * to run from any number of instances at once: it only ever nulls what is due.
 */
export async function sweepExpiredText(
	now: Date = new Date(),
	db: Queryable = getDb()
): Promise<number> {
	const erased = await db.execute(sql`
		update public.incidents i
		set description = null, place = null, resolution = null, erased_at = ${now.toISOString()}::timestamptz
		from public.events e
		left join public.day_settings s on s.event_id = e.id
		where i.event_id = e.id
			and i.erased_at is null
			and ((e.date + e.end_time) at time zone e.time_zone)
				+ make_interval(days => coalesce(s.retention_days, 90)) <= ${now.toISOString()}::timestamptz
		returning i.id`);
	const rows = Array.isArray(erased) ? erased : ((erased as { rows?: unknown[] }).rows ?? []);
	return rows.length;
}
