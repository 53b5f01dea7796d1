// Teams and their members: creating a team, roles, removal and leaving. Each command runs in
// one transaction and takes an explicit actor. Membership changes of a team are serialised by
// locking the team's row, so two captains demoting each other at the same instant cannot leave
// the team without a captain.
import { and, eq, inArray, ne, notInArray, sql } from 'drizzle-orm';
import { getDb, type Tx } from '../db';
import { eventGroups, events, groupMembers, teamMembers, teams, type TeamRole } from '../db/schema';
import { Conflict, Forbidden, NotFound } from '../errors';
import { parseInput } from '../validate';
import { notifyMembershipChanged } from '../realtime/notify';
import { hint, LaterHints } from '../realtime/publish';
import { recordAudit } from '../audit/commands';
import { releaseMemberSignups } from '../tasks/signups';
import { createTeamSchema, roleSchema, type CreateTeamInput } from '$lib/schemas/teams';
import { idSchema } from '$lib/schemas/common';
import { canManageMembers } from './policy';
import { findMembership, requireMembership } from './queries';
import type { Actor } from './types';

export async function createTeam(actor: Actor, input: CreateTeamInput): Promise<{ id: string }> {
	const data = parseInput(createTeamSchema, input);
	return getDb().transaction(async (tx) => {
		const [team] = await tx
			.insert(teams)
			.values({ name: data.name, description: data.description, createdBy: actor.userId })
			.returning({ id: teams.id });
		await tx.insert(teamMembers).values({ teamId: team.id, userId: actor.userId, role: 'captain' });
		return team;
	});
}

/** Locks the team row: every membership change of one team runs one after another. */
export async function lockTeam(tx: Tx, teamId: string): Promise<void> {
	await tx.execute(sql`select 1 from ${teams} where ${teams.id} = ${teamId} for update`);
}

async function otherCaptains(tx: Tx, teamId: string, userId: string): Promise<number> {
	const [row] = await tx
		.select({ n: sql<number>`count(*)::int` })
		.from(teamMembers)
		.where(
			and(
				eq(teamMembers.teamId, teamId),
				eq(teamMembers.role, 'captain'),
				ne(teamMembers.userId, userId)
			)
		);
	return row.n;
}

export async function changeRole(
	actor: Actor,
	teamId: string,
	targetUserId: string,
	role: TeamRole
): Promise<void> {
	const newRole = parseInput(roleSchema, role);
	parseInput(idSchema, targetUserId);
	await getDb().transaction(async (tx) => {
		// Lock first: the actor's own authority must be read under the lock, too.
		await lockTeam(tx, teamId);
		const me = await requireMembership(tx, teamId, actor);
		if (!canManageMembers(me.role)) throw new Forbidden('teams_error_captains_only');
		const target = await findMembership(tx, teamId, targetUserId);
		if (!target) throw new NotFound('teams_error_member_not_found');
		if (target.role === newRole) return;
		if (target.role === 'captain' && (await otherCaptains(tx, teamId, targetUserId)) === 0) {
			throw new Conflict('teams_error_last_captain');
		}
		await tx
			.update(teamMembers)
			.set({ role: newRole })
			.where(and(eq(teamMembers.teamId, teamId), eq(teamMembers.userId, targetUserId)));
		await recordAudit(tx, {
			teamId,
			actorId: actor.userId,
			action: 'role_changed',
			targetUserId,
			details: { from: target.role, to: newRole }
		});
		await notifyMembershipChanged(tx, teamId);
		await hint(tx, `team:${teamId}`, ['members'], [targetUserId]);
	});
}

export type Departure = 'member_removed' | 'member_left' | 'account_deleted';

/**
 * A departed member no longer leads or belongs to a group of the team's coming events: a
 * group's leader must be a leader of the team (DOMAIN.md), and volunteers would otherwise
 * still be shown the phone of someone who left. Finished events keep their groups as history.
 */
async function leaveOpenGroups(
	tx: Tx,
	teamId: string,
	userId: string,
	later: LaterHints
): Promise<void> {
	const open = await tx
		.select({ id: events.id })
		.from(events)
		.where(and(eq(events.teamId, teamId), notInArray(events.status, ['completed', 'cancelled'])));
	if (open.length === 0) return;
	const eventIds = open.map((e) => e.id);
	const led = await tx
		.update(eventGroups)
		.set({ leaderId: null })
		.where(and(inArray(eventGroups.eventId, eventIds), eq(eventGroups.leaderId, userId)))
		.returning({ eventId: eventGroups.eventId, groupId: eventGroups.id });
	const joined = await tx
		.delete(groupMembers)
		.where(and(inArray(groupMembers.eventId, eventIds), eq(groupMembers.userId, userId)))
		.returning({ eventId: groupMembers.eventId, groupId: groupMembers.groupId });
	const touched = new Map<string, Set<string>>();
	for (const { eventId, groupId } of [...led, ...joined]) {
		touched.set(eventId, (touched.get(eventId) ?? new Set()).add(groupId));
	}
	for (const [eventId, groupIds] of touched) {
		later.add(`event:${eventId}`, ['groups'], [...groupIds]);
	}
}

/**
 * Takes a member out of the team. The caller holds the team lock. Their sign-ups in the team's
 * open events end in the same transaction (the line moves up), so no slot stays held by
 * someone who can no longer see the event; the change is audited.
 */
export async function deleteMember(
	tx: Tx,
	teamId: string,
	userId: string,
	actorId: string,
	departure: Departure
): Promise<void> {
	const target = await findMembership(tx, teamId, userId);
	if (!target) throw new NotFound('teams_error_member_not_found');
	if (target.role === 'captain' && (await otherCaptains(tx, teamId, userId)) === 0) {
		throw new Conflict(
			departure === 'account_deleted' ? 'account_delete_last_captain' : 'teams_error_last_captain'
		);
	}
	// The events' hints wait until the last lock is held (their version rows come last).
	const later = new LaterHints();
	const released = await releaseMemberSignups(
		tx,
		teamId,
		userId,
		departure === 'member_removed' ? 'removed' : 'withdrawn',
		later
	);
	await leaveOpenGroups(tx, teamId, userId, later);
	await tx
		.delete(teamMembers)
		.where(and(eq(teamMembers.teamId, teamId), eq(teamMembers.userId, userId)));
	await recordAudit(tx, {
		teamId,
		actorId,
		action: departure,
		targetUserId: departure === 'member_removed' ? userId : null,
		details: { role: target.role, releasedSignups: released }
	});
	// Delivered on commit: every instance then closes the removed member's team channels.
	await notifyMembershipChanged(tx, teamId);
	await later.flush(tx);
	await hint(tx, `team:${teamId}`, ['members'], [userId]);
}

export async function removeMember(
	actor: Actor,
	teamId: string,
	targetUserId: string
): Promise<void> {
	parseInput(idSchema, targetUserId);
	await getDb().transaction(async (tx) => {
		await lockTeam(tx, teamId);
		const me = await requireMembership(tx, teamId, actor);
		if (targetUserId !== actor.userId && !canManageMembers(me.role)) {
			throw new Forbidden('teams_error_captains_only');
		}
		const departure = targetUserId === actor.userId ? 'member_left' : 'member_removed';
		await deleteMember(tx, teamId, targetUserId, actor.userId, departure);
	});
}

export async function leaveTeam(actor: Actor, teamId: string): Promise<void> {
	await getDb().transaction(async (tx) => {
		await lockTeam(tx, teamId);
		await requireMembership(tx, teamId, actor);
		await deleteMember(tx, teamId, actor.userId, actor.userId, 'member_left');
	});
}
