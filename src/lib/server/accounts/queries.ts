import { eq } from 'drizzle-orm';
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

export type ResetLink =
	| { status: 'valid'; target: { email: string; displayName: string; expiresAt: Date } }
	| { status: 'unknown' | 'expired' | 'used' };

/**
 * What a reset link is: valid (and whom it is for, so its page can say so), used, expired, or
 * unknown (never issued, or malformed). Its page answers 404 for unknown and 410 for the
 * others. Reading only: opening the link changes nothing.
 */
export async function openPasswordReset(
	token: string,
	{ now = new Date(), db = getDb() }: { now?: Date; db?: Queryable } = {}
): Promise<ResetLink> {
	if (!isWellFormedToken(token)) return { status: 'unknown' };
	const [row] = await db
		.select({
			email: users.email,
			displayName: users.displayName,
			expiresAt: passwordResets.expiresAt,
			usedAt: passwordResets.usedAt
		})
		.from(passwordResets)
		.innerJoin(users, eq(users.id, passwordResets.userId))
		.where(eq(passwordResets.tokenHash, hashToken(token)))
		.limit(1);
	if (!row) return { status: 'unknown' };
	if (row.usedAt) return { status: 'used' };
	if (row.expiresAt.getTime() <= now.getTime()) return { status: 'expired' };
	const { email, displayName, expiresAt } = row;
	return { status: 'valid', target: { email, displayName, expiresAt } };
}

/** Whom an unused, unexpired reset link is for; null for any other token alike. */
export async function getPasswordResetTarget(
	token: string,
	options: { now?: Date; db?: Queryable } = {}
): Promise<{ email: string; displayName: string; expiresAt: Date } | null> {
	const link = await openPasswordReset(token, options);
	return link.status === 'valid' ? link.target : null;
}
