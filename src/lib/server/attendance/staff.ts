// Who runs the day in an event: its captains everywhere, and the leaders of its groups for
// those groups (DOMAIN.md: a group's leader must hold team role leader or captain). Shared by
// attendance and incidents, and the same rule as `can_read_topic('event-staff:<id>')`.
import { and, eq } from 'drizzle-orm';
import type { Queryable } from '../db';
import { daySettings, eventGroups, events } from '../db/schema';
import { NotFound } from '../errors';
import { requireEvent, type EventAccess } from '../events/access';
import { canLeadGroups } from '../events/policy';
import type { Actor } from '../teams/types';
import { randomBytes } from 'node:crypto';

export interface DayAccess extends EventAccess {
	/** Groups of this event the actor leads (with a team role that allows it). */
	ledGroupIds: Set<string>;
	isStaff: boolean;
}

export async function requireDayAccess(
	db: Queryable,
	actor: Actor,
	teamId: string,
	eventId: string,
	lock?: 'update' | 'share'
): Promise<DayAccess> {
	const access = await requireEvent(db, actor, teamId, eventId, lock);
	const led = canLeadGroups(access.role)
		? await db
				.select({ id: eventGroups.id })
				.from(eventGroups)
				.where(and(eq(eventGroups.eventId, eventId), eq(eventGroups.leaderId, actor.userId)))
		: [];
	const ledGroupIds = new Set(led.map((g) => g.id));
	return { ...access, ledGroupIds, isStaff: access.isCaptain || ledGroupIds.size > 0 };
}

/** The team of an event, for links that carry only the event's id. */
export async function teamOfEvent(db: Queryable, eventId: string): Promise<string> {
	const [row] = await db
		.select({ teamId: events.teamId })
		.from(events)
		.where(eq(events.id, eventId));
	if (!row) throw new NotFound('events_error_not_found');
	return row.teamId;
}

export type DaySettings = typeof daySettings.$inferSelect;

/** The event's settings, made on first use with a fresh secret (concurrent first uses agree). */
export async function settingsOf(db: Queryable, eventId: string): Promise<DaySettings> {
	const [existing] = await db.select().from(daySettings).where(eq(daySettings.eventId, eventId));
	if (existing) return existing;
	await db
		.insert(daySettings)
		.values({ eventId, codeSecret: randomBytes(32).toString('base64url') })
		.onConflictDoNothing({ target: daySettings.eventId });
	const [row] = await db.select().from(daySettings).where(eq(daySettings.eventId, eventId));
	return row;
}

/** Settings as they would be, without writing: reads by people who never show a code. */
export async function settingsOrDefaults(
	db: Queryable,
	eventId: string
): Promise<Omit<DaySettings, 'codeSecret' | 'updatedAt'>> {
	const [row] = await db.select().from(daySettings).where(eq(daySettings.eventId, eventId));
	return (
		row ?? {
			eventId,
			lateAfterMinutes: 15,
			meetingTime: '19:00:00',
			escalateAfterMinutes: 5,
			retentionDays: 90
		}
	);
}
