// Group commands. Captains create groups and choose leaders; a group's leader (team role leader
// or captain, DOMAIN.md) edits that group and its members. "One group per member per event" is
// the primary key of group_members: concurrent requests cannot break it, they only lose.
import { and, eq } from 'drizzle-orm';
import { getDb, type Tx } from '../db';
import { eventGroups, groupMembers } from '../db/schema';
import { Conflict, Forbidden, Invalid, NotFound, pgErrorCode } from '../errors';
import { parseInput } from '../validate';
import { hint } from '../realtime/publish';
import { findMembership } from '../teams/queries';
import type { Actor } from '../teams/types';
import { requireEvent, type EventAccess } from '../events/access';
import { canLeadGroups, isOpen } from '../events/policy';
import { idSchema } from '$lib/schemas/common';
import { groupSchema, type GroupInput } from '$lib/schemas/groups';
import type { EventScope } from '../events/scope';
import { requireGroup } from './queries';

const UNIQUE_VIOLATION = '23505';

async function openEvent(
	tx: Tx,
	actor: Actor,
	teamId: string,
	eventId: string,
	lock: 'update' | 'share'
): Promise<EventAccess> {
	const access = await requireEvent(tx, actor, teamId, eventId, lock);
	if (!isOpen(access.event.status)) throw new Conflict('events_error_closed');
	return access;
}

/** Captains everywhere; a leader in the groups they lead, while their team role allows it. */
function requireGroupPower(access: EventAccess, group: { leaderId: string | null }, actor: Actor) {
	if (access.isCaptain) return;
	if (canLeadGroups(access.role) && group.leaderId === actor.userId) return;
	throw new Forbidden('groups_error_not_your_group');
}

/**
 * One transaction for a change of a group's members: the event open (row shared, so members
 * of several groups change at once), the group in it, and the actor's power over it.
 */
async function changeMembers(
	scope: EventScope,
	groupId: string,
	userId: string,
	write: (tx: Tx) => Promise<void>
): Promise<void> {
	const { actor, teamId, eventId } = scope;
	parseInput(idSchema, userId);
	await getDb().transaction(async (tx) => {
		const access = await openEvent(tx, actor, teamId, eventId, 'share');
		requireGroupPower(access, await requireGroup(tx, eventId, groupId), actor);
		await write(tx);
	});
}

async function checkLeader(tx: Tx, teamId: string, leaderId: string | null): Promise<void> {
	if (!leaderId) return;
	parseInput(idSchema, leaderId);
	const member = await findMembership(tx, teamId, leaderId);
	if (!member) throw new NotFound('teams_error_member_not_found');
	if (!canLeadGroups(member.role)) {
		throw new Invalid('groups_error_leader_role', { leaderId: ['groups_error_leader_role'] });
	}
}

function nameTaken(err: unknown): never {
	if (pgErrorCode(err) === UNIQUE_VIOLATION) {
		throw new Conflict('groups_error_name_taken');
	}
	throw err;
}

export async function createGroup(
	scope: EventScope,
	input: (GroupInput & { leaderId?: string | null }) | Record<string, unknown>
): Promise<{ id: string }> {
	const { actor, teamId, eventId } = scope;
	const data = parseInput(groupSchema, input);
	const leaderId = typeof input.leaderId === 'string' && input.leaderId ? input.leaderId : null;
	return getDb().transaction(async (tx) => {
		const access = await openEvent(tx, actor, teamId, eventId, 'update');
		if (!access.isCaptain) throw new Forbidden('events_error_captains_only');
		await checkLeader(tx, teamId, leaderId);
		const [group] = await tx
			.insert(eventGroups)
			.values({ ...data, eventId, leaderId })
			.onConflictDoNothing({ target: [eventGroups.eventId, eventGroups.name] })
			.returning({ id: eventGroups.id });
		if (!group) throw new Conflict('groups_error_name_taken');
		await hint(tx, `event:${eventId}`, ['groups'], [group.id]);
		return group;
	});
}

export async function updateGroup(
	scope: EventScope,
	groupId: string,
	input: GroupInput | Record<string, unknown>
): Promise<void> {
	const { actor, teamId, eventId } = scope;
	const data = parseInput(groupSchema, input);
	await getDb().transaction(async (tx) => {
		const access = await openEvent(tx, actor, teamId, eventId, 'share');
		const group = await requireGroup(tx, eventId, groupId);
		requireGroupPower(access, group, actor);
		await tx.update(eventGroups).set(data).where(eq(eventGroups.id, groupId)).catch(nameTaken);
		await hint(tx, `event:${eventId}`, ['groups'], [groupId]);
	});
}

export async function setGroupLeader(
	scope: EventScope,
	groupId: string,
	leaderId: string | null
): Promise<void> {
	const { actor, teamId, eventId } = scope;
	await getDb().transaction(async (tx) => {
		const access = await openEvent(tx, actor, teamId, eventId, 'update');
		if (!access.isCaptain) throw new Forbidden('events_error_captains_only');
		await requireGroup(tx, eventId, groupId);
		await checkLeader(tx, teamId, leaderId || null);
		await tx
			.update(eventGroups)
			.set({ leaderId: leaderId || null })
			.where(eq(eventGroups.id, groupId));
		await hint(tx, `event:${eventId}`, ['groups'], [groupId]);
	});
}

export async function deleteGroup(scope: EventScope, groupId: string): Promise<void> {
	const { actor, teamId, eventId } = scope;
	await getDb().transaction(async (tx) => {
		const access = await openEvent(tx, actor, teamId, eventId, 'update');
		if (!access.isCaptain) throw new Forbidden('events_error_captains_only');
		await requireGroup(tx, eventId, groupId);
		await tx.delete(eventGroups).where(eq(eventGroups.id, groupId));
		// The run of show loses its links to the group with it.
		await hint(tx, `event:${eventId}`, ['groups', 'agenda'], [groupId]);
	});
}

/** A member already in another group of the event must be removed there first. */
export async function addGroupMember(
	scope: EventScope,
	groupId: string,
	userId: string
): Promise<void> {
	const { teamId, eventId } = scope;
	await changeMembers(scope, groupId, userId, async (tx) => {
		if (!(await findMembership(tx, teamId, userId))) {
			throw new NotFound('teams_error_member_not_found');
		}
		// A group's leader is in the group they lead (its adult already): not a member of it, nor
		// of another group of the same event.
		const [leads] = await tx
			.select({ id: eventGroups.id })
			.from(eventGroups)
			.where(and(eq(eventGroups.eventId, eventId), eq(eventGroups.leaderId, userId)))
			.limit(1);
		if (leads) throw new Conflict('groups_error_leader_is_member');
		// A concurrent insert of the same member waits here for the other to commit, then
		// inserts nothing: the primary key decides, never a read made earlier.
		const [added] = await tx
			.insert(groupMembers)
			.values({ eventId, groupId, userId })
			.onConflictDoNothing({ target: [groupMembers.eventId, groupMembers.userId] })
			.returning({ groupId: groupMembers.groupId });
		if (added) {
			await hint(tx, `event:${eventId}`, ['groups'], [groupId]);
			return;
		}
		const [current] = await tx
			.select({ groupId: groupMembers.groupId })
			.from(groupMembers)
			.where(and(eq(groupMembers.eventId, eventId), eq(groupMembers.userId, userId)));
		if (current?.groupId !== groupId) throw new Conflict('groups_error_member_in_other_group');
	});
}

export async function removeGroupMember(
	scope: EventScope,
	groupId: string,
	userId: string
): Promise<void> {
	const { eventId } = scope;
	await changeMembers(scope, groupId, userId, async (tx) => {
		const removed = await tx
			.delete(groupMembers)
			.where(
				and(
					eq(groupMembers.eventId, eventId),
					eq(groupMembers.groupId, groupId),
					eq(groupMembers.userId, userId)
				)
			)
			.returning({ userId: groupMembers.userId });
		if (removed.length === 0) throw new NotFound('groups_error_member_not_in_group');
		await hint(tx, `event:${eventId}`, ['groups'], [groupId]);
	});
}
