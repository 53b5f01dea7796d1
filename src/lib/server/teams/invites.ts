// Invite links: made by captains (any role) and leaders (volunteers), revoked, previewed
// (reading only) and accepted. Only a token's hash is stored.
import { and, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import { getDb } from '../db';
import { teamInvites, teamMembers, teams } from '../db/schema';
import { Conflict, Forbidden, NotFound } from '../errors';
import { generateToken, hashToken, isWellFormedToken } from '../auth/tokens';
import { parseInput } from '../validate';
import { hint } from '../realtime/publish';
import { recordAudit } from '../audit/commands';
import { createInviteSchema, type CreateInviteInput } from '$lib/schemas/teams';
import { idSchema } from '$lib/schemas/common';
import { lockTeam } from './members';
import { canInvite, canManageMembers } from './policy';
import { findMembership, requireMembership, type InvitePreview } from './queries';
import type { Actor } from './types';

const DAY_MS = 24 * 60 * 60 * 1000;

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
