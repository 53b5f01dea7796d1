// Team commands: each runs in one transaction and takes an explicit actor.
// Membership changes of a team are serialised by locking the team's row, so two captains
// demoting each other at the same instant cannot leave the team without a captain.
import { and, eq, gt, inArray, isNull, lt, ne, notInArray, sql } from 'drizzle-orm';
import { getDb, type Tx } from '../db';
import {
	eventGroups,
	events,
	groupMembers,
	passwordResets,
	teamInvites,
	teamMembers,
	teams,
	type TeamRole
} from '../db/schema';
import { Conflict, Forbidden, NotFound } from '../errors';
import { generateToken, hashToken, isWellFormedToken } from '../auth/tokens';
import { parseInput } from '../validate';
import { notifyMembershipChanged } from '../realtime/notify';
import { hint, LaterHints } from '../realtime/publish';
import { recordAudit } from '../audit/commands';
import { releaseMemberSignups } from '../tasks/signups';
import {
	createInviteSchema,
	createTeamSchema,
	roleSchema,
	type CreateInviteInput,
	type CreateTeamInput
} from '$lib/schemas/teams';
import { idSchema } from '$lib/schemas/common';
import { canInvite, canManageMembers } from './policy';
import { findMembership, requireMembership, type InvitePreview } from './queries';
import type { Actor } from './types';

const DAY_MS = 24 * 60 * 60 * 1000;
export const RESET_LINK_TTL_MS = DAY_MS;

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

export async function createInvite(
	actor: Actor,
	teamId: string,
	input: CreateInviteInput,
	now: Date = new Date()
): Promise<{ id: string; token: string; expiresAt: Date }> {
	const data = parseInput(createInviteSchema, input);
	return getDb().transaction(async (tx) => {
		const me = await requireMembership(tx, teamId, actor);
		if (!canInvite(me.role, data.role)) throw new Forbidden('teams_error_invite_forbidden');
		const token = generateToken();
		const expiresAt = new Date(now.getTime() + data.expiresInDays * DAY_MS);
		const [invite] = await tx
			.insert(teamInvites)
			.values({
				teamId,
				tokenHash: hashToken(token),
				role: data.role,
				createdBy: actor.userId,
				expiresAt,
				maxUses: data.maxUses
			})
			.returning({ id: teamInvites.id });
		await recordAudit(tx, {
			teamId,
			actorId: actor.userId,
			action: 'invite_created',
			targetId: invite.id,
			details: { role: data.role, maxUses: data.maxUses, expiresInDays: data.expiresInDays }
		});
		await hint(tx, `team:${teamId}`, ['invites'], [invite.id]);
		return { id: invite.id, token, expiresAt };
	});
}

export async function revokeInvite(actor: Actor, teamId: string, inviteId: string): Promise<void> {
	parseInput(idSchema, inviteId);
	await getDb().transaction(async (tx) => {
		const me = await requireMembership(tx, teamId, actor);
		const [invite] = await tx
			.select({ createdBy: teamInvites.createdBy })
			.from(teamInvites)
			.where(and(eq(teamInvites.id, inviteId), eq(teamInvites.teamId, teamId)));
		if (!invite) throw new NotFound('teams_error_invite_not_found');
		if (!canManageMembers(me.role) && invite.createdBy !== actor.userId) {
			throw new Forbidden('teams_error_captains_only');
		}
		const revoked = await tx
			.update(teamInvites)
			.set({ revokedAt: sql`now()` })
			.where(and(eq(teamInvites.id, inviteId), isNull(teamInvites.revokedAt)))
			.returning({ role: teamInvites.role });
		// Revoking a revoked link changes nothing, and so records nothing.
		if (revoked.length > 0) {
			await recordAudit(tx, {
				teamId,
				actorId: actor.userId,
				action: 'invite_revoked',
				targetId: inviteId,
				details: { role: revoked[0].role }
			});
		}
		await hint(tx, `team:${teamId}`, ['invites'], [inviteId]);
	});
}

/** What the invite page shows. Reads only: opening a link never changes anything. */
export async function previewInvite(
	token: string,
	actor: Actor | null,
	now: Date = new Date()
): Promise<InvitePreview> {
	if (!isWellFormedToken(token)) throw new NotFound('teams_error_invite_not_found');
	const db = getDb();
	const [row] = await db
		.select({
			teamId: teams.id,
			teamName: teams.name,
			role: teamInvites.role,
			expiresAt: teamInvites.expiresAt,
			revokedAt: teamInvites.revokedAt,
			uses: teamInvites.uses,
			maxUses: teamInvites.maxUses
		})
		.from(teamInvites)
		.innerJoin(teams, eq(teams.id, teamInvites.teamId))
		.where(eq(teamInvites.tokenHash, hashToken(token)));
	if (!row) throw new NotFound('teams_error_invite_not_found');
	const state = row.revokedAt
		? 'revoked'
		: row.expiresAt.getTime() <= now.getTime()
			? 'expired'
			: row.uses >= row.maxUses
				? 'used_up'
				: 'valid';
	const isMember = actor ? Boolean(await findMembership(db, row.teamId, actor.userId)) : false;
	return { teamId: row.teamId, teamName: row.teamName, role: row.role, state, isMember };
}

/**
 * Joins the team of an invite. One use is taken atomically (`uses < max_uses` in the update),
 * so a link with one use left admits exactly one of many people pressing Join together.
 * A member who opens the link again keeps their role and uses nothing.
 */
export async function acceptInvite(actor: Actor, token: string): Promise<{ teamId: string }> {
	if (!isWellFormedToken(token)) throw new NotFound('teams_error_invite_not_found');
	const tokenHash = hashToken(token);
	return getDb().transaction(async (tx) => {
		const [invite] = await tx
			.select({ id: teamInvites.id, teamId: teamInvites.teamId })
			.from(teamInvites)
			.where(eq(teamInvites.tokenHash, tokenHash));
		if (!invite) throw new NotFound('teams_error_invite_not_found');
		await lockTeam(tx, invite.teamId);
		if (await findMembership(tx, invite.teamId, actor.userId)) return { teamId: invite.teamId };
		const [taken] = await tx
			.update(teamInvites)
			.set({ uses: sql`${teamInvites.uses} + 1` })
			.where(
				and(
					eq(teamInvites.id, invite.id),
					isNull(teamInvites.revokedAt),
					gt(teamInvites.expiresAt, sql`now()`),
					lt(teamInvites.uses, teamInvites.maxUses)
				)
			)
			.returning({ role: teamInvites.role });
		if (!taken) throw new Conflict('teams_error_invite_unusable');
		await tx
			.insert(teamMembers)
			.values({ teamId: invite.teamId, userId: actor.userId, role: taken.role });
		await hint(tx, `team:${invite.teamId}`, ['members', 'invites'], [actor.userId, invite.id]);
		return { teamId: invite.teamId };
	});
}

/**
 * No email can be sent from here, so a captain hands a member a one-time reset link:
 * valid 24 hours, single use, only its hash stored.
 */
export async function createPasswordReset(
	actor: Actor,
	teamId: string,
	targetUserId: string,
	now: Date = new Date()
): Promise<{ token: string; expiresAt: Date }> {
	parseInput(idSchema, targetUserId);
	return getDb().transaction(async (tx) => {
		const me = await requireMembership(tx, teamId, actor);
		if (!canManageMembers(me.role)) throw new Forbidden('teams_error_captains_only');
		if (!(await findMembership(tx, teamId, targetUserId))) {
			throw new NotFound('teams_error_member_not_found');
		}
		const token = generateToken();
		const expiresAt = new Date(now.getTime() + RESET_LINK_TTL_MS);
		await tx.insert(passwordResets).values({
			tokenHash: hashToken(token),
			userId: targetUserId,
			teamId,
			createdBy: actor.userId,
			expiresAt
		});
		await recordAudit(tx, {
			teamId,
			actorId: actor.userId,
			action: 'reset_link_created',
			targetUserId
		});
		return { token, expiresAt };
	});
}
