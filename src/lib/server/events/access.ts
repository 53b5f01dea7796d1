// Loading an event for an actor: the one place that decides visibility, shared by the event,
// group, run-of-show and calendar modules.
import { and, eq, sql } from 'drizzle-orm';
import { getDb, type Queryable } from '../db';
import { events, teamMembers, type TeamRole } from '../db/schema';
import { Conflict, Forbidden, NotFound } from '../errors';
import { prepared } from '../db/reuse-built-queries';
import { findMembership } from '../teams/queries';
import type { Actor } from '../teams/types';
import { canManageEvent, canSeeEvent, isOpen } from './policy';

export type EventRow = typeof events.$inferSelect;

export interface EventAccess {
	event: EventRow;
	role: TeamRole;
	isCaptain: boolean;
}

// One round trip: the membership, and the event only if it belongs to that team.
const memberAndEvent = prepared((db) =>
	db
		.select({ role: teamMembers.role, event: events })
		.from(teamMembers)
		.leftJoin(
			events,
			and(eq(events.id, sql.placeholder('eventId')), eq(events.teamId, teamMembers.teamId))
		)
		.where(
			and(
				eq(teamMembers.teamId, sql.placeholder('teamId')),
				eq(teamMembers.userId, sql.placeholder('userId'))
			)
		)
		.prepare('member_and_event')
);

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
	let role: TeamRole;
	let event: EventRow | null | undefined;
	if (lock) {
		// PostgreSQL cannot lock the nullable side of an outer join: two queries, sent together
		// (postgres.js pipelines them on the transaction's connection: one round trip). The
		// membership is judged first, so a non-member learns nothing from the event's answer.
		const [membership, [locked]] = await Promise.all([
			findMembership(db, teamId, actor.userId),
			db
				.select()
				.from(events)
				.where(and(eq(events.id, eventId), eq(events.teamId, teamId)))
				.for(lock)
		]);
		if (!membership) throw new NotFound('teams_error_not_found');
		role = membership.role;
		event = locked;
	} else {
		const [row] = await memberAndEvent(db).execute({ teamId, eventId, userId: actor.userId });
		if (!row) throw new NotFound('teams_error_not_found');
		role = row.role;
		event = row.event;
	}
	if (!event || !canSeeEvent(role, event.status)) {
		throw new NotFound('events_error_not_found');
	}
	return { event, role, isCaptain: canManageEvent(role) };
}

/**
 * Memo of `requireEvent` (no lock, the process-wide database) for one request, so that an
 * event's layout and its page check the actor's access once. Never shared between requests.
 */
export type AccessMemo = Map<string, Promise<EventAccess>>;

export function readEventAccess(
	actor: Actor,
	teamId: string,
	eventId: string,
	memo?: AccessMemo
): Promise<EventAccess> {
	if (!memo) return requireEvent(getDb(), actor, teamId, eventId);
	const key = `${actor.userId}/${teamId}/${eventId}`;
	let access = memo.get(key);
	if (!access) {
		access = requireEvent(getDb(), actor, teamId, eventId);
		memo.set(key, access);
	}
	return access;
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
