// One-time password reset links, made by a captain for a member of the team (no email can be
// sent from here); `consumePasswordReset` in commands.ts uses one.
import { getDb } from '../db';
import { passwordResets } from '../db/schema';
import { Forbidden, NotFound } from '../errors';
import { generateToken, hashToken } from '../auth/tokens';
import { parseInput } from '../validate';
import { recordAudit } from '../audit/commands';
import { idSchema } from '$lib/schemas/common';
import { canManageMembers } from '../teams/policy';
import { findMembership, requireMembership } from '../teams/queries';
import type { Actor } from '../teams/types';

/** A reset link lives 24 hours. */
export const RESET_LINK_TTL_MS = 24 * 60 * 60 * 1000;

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
