// Deleting one's own account. The person leaves every team (as leaving does: never the last
// captain, open sign-ups released, audited, channels re-checked), every session ends, and the
// row is anonymised in place rather than deleted, so the claims, attendance and hours it
// carries keep counting for the team. See README.md for why a tombstone per person.
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { getDb } from '../db';
import {
	calendarFeeds,
	eventContacts,
	passwordResets,
	taskClaimKeys,
	taskNotices,
	teamMembers,
	users
} from '../db/schema';
import { Invalid, NotFound } from '../errors';
import { hashPassword, verifyPassword } from '../auth/password';
import * as rateLimit from '../auth/rate-limit';
import { generateToken } from '../auth/tokens';
import { invalidateUserSessions } from '../auth/session';
import { deleteMember, lockTeam } from '../teams/members';
import { deleteAccountSchema } from '$lib/schemas/accounts';
import { parseInput } from '../validate';
import type { AccountActor } from './commands';

/** What every viewer sees in place of a deleted person's name, in both languages. */
export const DELETED_USER_NAME = '已注销用户 / Deleted user';

/** An address that names nobody (`.invalid` is reserved), unique because the id is. */
export function tombstoneEmail(userId: string): string {
	return `deleted-${userId}@deleted.invalid`;
}

export async function deleteAccount(actor: AccountActor, input: unknown): Promise<void> {
	const { password } = parseInput(deleteAccountSchema, input);
	// The same guard as a password change: the confirmation is a password guess too.
	await rateLimit.consume('passwordChange', actor.userId);
	const [row] = await getDb()
		.select({ passwordHash: users.passwordHash })
		.from(users)
		.where(and(eq(users.id, actor.userId), isNull(users.deletedAt)));
	if (!row) throw new NotFound();
	if (!(await verifyPassword(row.passwordHash, password))) {
		throw new Invalid('invalid', { password: ['account_delete_password_wrong'] });
	}
	// A hash of a secret nobody ever sees: no password opens the row again.
	const unusableHash = await hashPassword(generateToken(32));
	await getDb().transaction(async (tx) => {
		const [user] = await tx
			.select({ id: users.id })
			.from(users)
			.where(and(eq(users.id, actor.userId), isNull(users.deletedAt)))
			.for('update');
		if (!user) throw new NotFound();
		const memberships = await tx
			.select({ teamId: teamMembers.teamId })
			.from(teamMembers)
			.where(eq(teamMembers.userId, actor.userId))
			.orderBy(asc(teamMembers.teamId));
		// Teams in id order, so two deletions never wait on each other in a circle.
		for (const { teamId } of memberships) {
			await lockTeam(tx, teamId);
			await deleteMember(tx, teamId, actor.userId, actor.userId, 'account_deleted');
		}
		await tx
			.update(users)
			.set({
				email: tombstoneEmail(actor.userId),
				displayName: DELETED_USER_NAME,
				phone: null,
				passwordHash: unusableHash,
				deletedAt: sql`now()`,
				updatedAt: sql`now()`
			})
			.where(eq(users.id, actor.userId));
		await tx
			.update(eventContacts)
			.set({ shownCaptainId: null })
			.where(eq(eventContacts.shownCaptainId, actor.userId));
		await tx.delete(passwordResets).where(eq(passwordResets.userId, actor.userId));
		await tx.delete(calendarFeeds).where(eq(calendarFeeds.userId, actor.userId));
		await tx.delete(taskClaimKeys).where(eq(taskClaimKeys.userId, actor.userId));
		await tx.delete(taskNotices).where(eq(taskNotices.userId, actor.userId));
		await invalidateUserSessions(actor.userId, { db: tx });
	});
	await rateLimit.reset('passwordChange', actor.userId);
}
