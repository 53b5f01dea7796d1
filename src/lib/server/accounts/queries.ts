import { and, eq, gt, isNull } from 'drizzle-orm';
import { getDb, type Queryable } from '../db';
import { passwordResets, users } from '../db/schema';
import { hashToken, isWellFormedToken } from '../auth/tokens';
import type { SessionUser } from '../auth/session';

const publicUser = {
	id: users.id,
	email: users.email,
	displayName: users.displayName,
	phone: users.phone
};

export async function getUser(
	userId: string,
	db: Queryable = getDb()
): Promise<SessionUser | null> {
	const [row] = await db.select(publicUser).from(users).where(eq(users.id, userId)).limit(1);
	return row ?? null;
}

/**
 * Whom an unused, unexpired reset link is for, so its page can say so; null for any other
 * token (unknown, used, expired, malformed) alike. Reading only: opening the link changes
 * nothing.
 */
export async function getPasswordResetTarget(
	token: string,
	{ now = new Date(), db = getDb() }: { now?: Date; db?: Queryable } = {}
): Promise<{ email: string; displayName: string; expiresAt: Date } | null> {
	if (!isWellFormedToken(token)) return null;
	const [row] = await db
		.select({
			email: users.email,
			displayName: users.displayName,
			expiresAt: passwordResets.expiresAt
		})
		.from(passwordResets)
		.innerJoin(users, eq(users.id, passwordResets.userId))
		.where(
			and(
				eq(passwordResets.tokenHash, hashToken(token)),
				isNull(passwordResets.usedAt),
				gt(passwordResets.expiresAt, now)
			)
		)
		.limit(1);
	return row ?? null;
}
