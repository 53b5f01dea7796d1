// Loading an event for an actor: the one place that decides visibility, shared by the event,
// group, run-of-show and calendar modules.
import { and, eq } from 'drizzle-orm';
import type { Queryable } from '../db';
import { events, type TeamRole } from '../db/schema';
import { Conflict, Forbidden, NotFound } from '../errors';
import { findMembership } from '../teams/queries';
import type { Actor } from '../teams/types';
import { canManageEvent, canSeeEvent, isOpen } from './policy';

export type EventRow = typeof events.$inferSelect;

export interface EventAccess {
	event: EventRow;
	role: TeamRole;
	isCaptain: boolean;
}

/**
 * A non-member, or a member who may not see a draft, gets NotFound: nothing is revealed.
 * `lock` takes the event row `for update` (plan changes run one after another) or `for share`
 * (the event cannot change status meanwhile, other writers are not blocked).
 */
export async function requireEvent(
	db: Queryable,
	actor: Actor,
	teamId: string,
	eventId: string,
	lock?: 'update' | 'share'
): Promise<EventAccess> {
	const query = db
		.select()
		.from(events)
		.where(and(eq(events.id, eventId), eq(events.teamId, teamId)));
	// Both at once (postgres.js pipelines them on the transaction's connection: one round trip);
	// the membership is judged first, so a non-member learns nothing from the event's answer.
	const [membership, [event]] = await Promise.all([
		findMembership(db, teamId, actor.userId),
		lock ? query.for(lock) : query
	]);
	if (!membership) throw new NotFound('teams_error_not_found');
	if (!event || !canSeeEvent(membership.role, event.status)) {
		throw new NotFound('events_error_not_found');
	}
	return { event, role: membership.role, isCaptain: canManageEvent(membership.role) };
}

export function requireCaptain(access: EventAccess): void {
	if (!access.isCaptain) throw new Forbidden('events_error_captains_only');
}

export function requireOpen(access: EventAccess): void {
	if (!isOpen(access.event.status)) throw new Conflict('events_error_closed');
}

/** A captain's plan change on an event that is still open. */
export async function requirePlannable(
	db: Queryable,
	actor: Actor,
	teamId: string,
	eventId: string
): Promise<EventAccess> {
	const access = await requireEvent(db, actor, teamId, eventId, 'update');
	requireCaptain(access);
	requireOpen(access);
	return access;
}
