import { and, eq, gt, isNull, ne, sql } from 'drizzle-orm';
import {
	changePasswordSchema,
	profileSchema,
	resetPasswordSchema,
	signInSchema,
	signUpSchema
} from '$lib/schemas/accounts';
import { getDb } from '../db';
import { passwordResets, users } from '../db/schema';
import { Conflict, Invalid, NotFound } from '../errors';
import { hashPassword, verifyPassword } from '../auth/password';
import { requireAcceptablePassword } from '../auth/password-policy';
import * as rateLimit from '../auth/rate-limit';
import { invalidateUserSessions, sessionUserChanged, type SessionUser } from '../auth/session';
import { hashToken, isWellFormedToken } from '../auth/tokens';
import { readDeviceToken } from '../auth/device';
import { parseInput as parse } from '../validate';
import { getPasswordResetTarget } from './queries';

/** The person acting on their own account (the same shape as other domains' actors). */
export interface AccountActor {
	userId: string;
}

const publicUser = {
	id: users.id,
	email: users.email,
	displayName: users.displayName,
	phone: users.phone
};

export interface SignUpOptions {
	/** Counts sign-ups per address when given (routes always pass it). */
	ip?: string;
	/**
	 * A hash of exactly `input.password`, computed once by a factory or benchmark
	 * (`memoizedPasswordHash`), so that creating many users does not pay argon2 each time. The
	 * password policy is not applied to it: no person chose that password.
	 */
	passwordHash?: string;
}

export async function signUp(input: unknown, options: SignUpOptions = {}): Promise<SessionUser> {
	const data = parse(signUpSchema, input);
	if (options.ip) await rateLimit.consume('signUp', options.ip);
	// A caller that brings its own hash (factories, benchmarks, the demo) chose the password
	// itself; what a person types is judged.
	if (!options.passwordHash) await requireAcceptablePassword(data.password, data, 'password');
	const passwordHash = options.passwordHash ?? (await hashPassword(data.password));
	return getDb().transaction(async (tx) => {
		// `on conflict do nothing` rather than catching the unique violation: an error would
		// abort the transaction, and this reads as the rule it is.
		const [user] = await tx
			.insert(users)
			.values({
				email: data.email,
				displayName: data.displayName,
				phone: data.phone,
				passwordHash
			})
			.onConflictDoNothing({ target: users.email })
			.returning(publicUser);
		if (!user) throw new Conflict('auth_email_taken');
		return user;
	});
}

/**
 * The user whose email and password match. A wrong email and a wrong password get the same
 * error after the same work, so the answer does not reveal which accounts exist.
 *
 * Throttling (OWASP): a browser whose device cookie (`device`, from `auth/device.ts`) names this
 * account is held only by its own limit (`signInDevice`), so the owner keeps signing in during
 * an attack. Any other attempt is counted per email + address (an unbroken run of failures,
 * reset by a success), per account across all addresses and per address across all accounts
 * (failures: a success takes its own attempt back); past any of them it is refused with
 * `RateLimited`, before the password is checked. Counted before checking, so parallel guesses
 * cannot all slip in under a limit.
 */
export async function signIn(input: {
	email: unknown;
	password: unknown;
	ip: string;
	device?: string;
}): Promise<SessionUser> {
	const data = parse(signInSchema, { email: input.email, password: input.password });
	const [row, device] = await Promise.all([
		getDb()
			.select({ ...publicUser, passwordHash: users.passwordHash })
			.from(users)
			.where(and(eq(users.email, data.email), isNull(users.deletedAt)))
			.limit(1)
			.then((rows) => rows.at(0)),
		readDeviceToken(input.device)
	]);
	const isOwnDevice =
		device !== null &&
		row !== undefined &&
		device.userId === row.id &&
		!(await rateLimit.hit('signInDevice', device.deviceId)).isLimited;
	const pairKey = `${input.ip}|${data.email}`;
	if (!isOwnDevice) {
		await rateLimit.consumeAll([
			['signIn', pairKey],
			['signInAccount', data.email],
			['signInAddress', input.ip]
		]);
	}
	const isValid = await verifyPassword(row?.passwordHash, data.password);
	if (!row || !isValid) throw new Invalid('auth_invalid_credentials');
	if (isOwnDevice) {
		await rateLimit.reset('signInDevice', device.deviceId);
	} else {
		await Promise.all([
			rateLimit.reset('signIn', pairKey),
			rateLimit.refund('signInAccount', data.email),
			rateLimit.refund('signInAddress', input.ip)
		]);
	}
	const { passwordHash: _hash, ...user } = row;
	return user;
}

export async function updateProfile(actor: AccountActor, input: unknown): Promise<SessionUser> {
	const data = parse(profileSchema, input);
	return getDb().transaction(async (tx) => {
		const [user] = await tx
			.update(users)
			.set({ displayName: data.displayName, phone: data.phone, updatedAt: sql`now()` })
			.where(eq(users.id, actor.userId))
			.returning(publicUser);
		if (!user) throw new NotFound();
		await sessionUserChanged(tx, user.id);
		return user;
	});
}

/**
 * Sets a new password after checking the current one, and ends every other session of the
 * user: whoever else held one (a lost phone, a shared computer) is signed out.
 */
export async function changePassword(
	actor: AccountActor,
	input: unknown,
	currentSessionId: string
): Promise<void> {
	const data = parse(changePasswordSchema, input);
	await rateLimit.consume('passwordChange', actor.userId);
	const [row] = await getDb()
		.select({
			passwordHash: users.passwordHash,
			email: users.email,
			displayName: users.displayName
		})
		.from(users)
		.where(eq(users.id, actor.userId))
		.limit(1);
	if (!row) throw new NotFound();
	if (!(await verifyPassword(row.passwordHash, data.currentPassword))) {
		throw new Invalid('invalid', { currentPassword: ['account_current_password_wrong'] });
	}
	await requireAcceptablePassword(data.newPassword, row, 'newPassword');
	const passwordHash = await hashPassword(data.newPassword);
	await getDb().transaction(async (tx) => {
		await tx
			.update(users)
			.set({ passwordHash, updatedAt: sql`now()` })
			.where(eq(users.id, actor.userId));
		await invalidateUserSessions(actor.userId, { except: currentSessionId, db: tx });
	});
	await rateLimit.reset('passwordChange', actor.userId);
}

/**
 * Sets a new password through a one-time reset link. The link is taken by one conditional
 * update (unused and unexpired, by the database's clock), so two submissions at once cannot
 * both use it. Every session of the user ends, and the user's other open links are spent too:
 * the password they were made for is gone.
 */
export async function consumePasswordReset(
	token: string,
	newPassword: unknown,
	options: { ip?: string } = {}
): Promise<SessionUser> {
	const data = parse(resetPasswordSchema, { newPassword });
	if (options.ip) await rateLimit.consume('passwordReset', options.ip);
	if (!isWellFormedToken(token)) throw new NotFound('reset_link_invalid');
	// Judged against the account the link is for; the link is taken (atomically) below.
	const target = await getPasswordResetTarget(token);
	if (!target) throw new NotFound('reset_link_invalid');
	await requireAcceptablePassword(data.newPassword, target, 'newPassword');
	const passwordHash = await hashPassword(data.newPassword);
	const tokenHash = hashToken(token);
	return getDb().transaction(async (tx) => {
		const [reset] = await tx
			.update(passwordResets)
			.set({ usedAt: sql`now()` })
			.where(
				and(
					eq(passwordResets.tokenHash, tokenHash),
					isNull(passwordResets.usedAt),
					gt(passwordResets.expiresAt, sql`now()`)
				)
			)
			.returning({ userId: passwordResets.userId });
		if (!reset) throw new NotFound('reset_link_invalid');
		const [user] = await tx
			.update(users)
			.set({ passwordHash, updatedAt: sql`now()` })
			.where(eq(users.id, reset.userId))
			.returning(publicUser);
		await tx
			.update(passwordResets)
			.set({ usedAt: sql`now()` })
			.where(
				and(
					eq(passwordResets.userId, reset.userId),
					isNull(passwordResets.usedAt),
					ne(passwordResets.tokenHash, tokenHash)
				)
			);
		await invalidateUserSessions(reset.userId, { db: tx });
		return user;
	});
}
