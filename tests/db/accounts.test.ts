import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import * as accounts from '../../src/lib/server/accounts';
import { getDb } from '../../src/lib/server/db';
import { passwordResets, users } from '../../src/lib/server/db/schema';
import { memoizedPasswordHash } from '../../src/lib/server/auth/password';
import { RATE_LIMITS } from '../../src/lib/server/auth/rate-limit';
import { Conflict, Invalid, NotFound, RateLimited } from '../../src/lib/server/errors';
import { createSession, validateSessionToken } from '../../src/lib/server/auth/session';
import { hashToken } from '../../src/lib/server/auth/tokens';
import { issueDeviceToken, readDeviceToken } from '../../src/lib/server/auth/device';
import { DEFAULT_PASSWORD, makeUser } from '../factories/users';
import { addMember, makeTeam } from '../factories/teams';
import { isPostgres, useTestDatabase } from './helpers';

useTestDatabase();

/** The error a promise rejects with (fails the test if it resolves). */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
	return promise.then(
		() => expect.unreachable('expected a rejection'),
		(err: unknown) => err
	);
}

function uniqueEmail(): string {
	return `person-${crypto.randomUUID().slice(0, 8)}@example.test`;
}

describe('signUp', () => {
	it('creates a user with a normalised email and an argon2id hash, never the password', async () => {
		const email = uniqueEmail();
		const user = await accounts.signUp({
			email: `  ${email.toUpperCase()} `,
			displayName: '  李明 ',
			phone: '',
			password: 'a long enough password'
		});
		expect(user).toMatchObject({ email, displayName: '李明', phone: null });
		const [row] = await getDb().select().from(users).where(eq(users.id, user.id));
		expect(row.passwordHash).toMatch(/^\$argon2id\$/);
		expect(row.passwordHash).not.toContain('a long enough password');
	});

	it('refuses a second account for the same email, whatever its case', async () => {
		const first = await makeUser();
		const err = await rejection(
			accounts.signUp({
				email: first.email.toUpperCase(),
				displayName: 'Someone',
				password: 'another password'
			})
		);
		expect(err).toBeInstanceOf(Conflict);
		expect((err as Conflict).code).toBe('auth_email_taken');
	});

	it('names every invalid field with a message key', async () => {
		const err = await rejection(
			accounts.signUp({
				email: 'not-an-email',
				displayName: 'x'.repeat(61),
				phone: 'call me',
				password: 'short'
			})
		);
		expect(err).toBeInstanceOf(Invalid);
		expect((err as Invalid).fields).toEqual({
			email: ['auth_email_invalid'],
			displayName: ['auth_display_name_length'],
			phone: ['auth_phone_invalid'],
			password: ['auth_password_too_short']
		});
		const missing = await rejection(accounts.signUp({}));
		expect(Object.keys((missing as Invalid).fields).sort()).toEqual([
			'displayName',
			'email',
			'password'
		]);
		const long = await rejection(
			accounts.signUp({ email: uniqueEmail(), displayName: 'A', password: 'x'.repeat(257) })
		);
		expect((long as Invalid).fields).toEqual({ password: ['auth_password_too_long'] });
	});

	it('is rate limited per address', async () => {
		const ip = `198.51.100.${Math.floor(Math.random() * 200)}`;
		const attempt = () =>
			accounts.signUp({ email: 'bad', displayName: 'A', password: 'x' }, { ip }).catch(() => {});
		// Invalid input is refused before counting, so it cannot lock anyone out.
		await attempt();
		const passwordHash = await memoizedPasswordHash(DEFAULT_PASSWORD)();
		for (let i = 0; i < RATE_LIMITS.signUp.limit; i++) {
			await accounts.signUp(
				{ email: uniqueEmail(), displayName: `U${i}`, password: DEFAULT_PASSWORD },
				{ ip, passwordHash }
			);
		}
		const err = await rejection(
			accounts.signUp(
				{ email: uniqueEmail(), displayName: 'One too many', password: DEFAULT_PASSWORD },
				{ ip }
			)
		);
		expect(err).toBeInstanceOf(RateLimited);
	});
});

describe('signIn', () => {
	it('returns the user for the right email and password', async () => {
		const user = await makeUser();
		const signedIn = await accounts.signIn({
			email: ` ${user.email.toUpperCase()}`,
			password: user.password,
			ip: '203.0.113.1'
		});
		expect(signedIn).toEqual({
			id: user.id,
			email: user.email,
			displayName: user.displayName,
			phone: null
		});
	});

	it('answers a wrong password and an unknown email alike', async () => {
		const user = await makeUser();
		const wrongPassword = await rejection(
			accounts.signIn({ email: user.email, password: 'not the password', ip: '203.0.113.2' })
		);
		const unknownEmail = await rejection(
			accounts.signIn({ email: uniqueEmail(), password: user.password, ip: '203.0.113.2' })
		);
		for (const err of [wrongPassword, unknownEmail]) {
			expect(err).toBeInstanceOf(Invalid);
			expect(err).toMatchObject({ code: 'auth_invalid_credentials', fields: {} });
		}
	});

	it('refuses the 11th attempt after 10 failures; another address still gets in', async () => {
		const user = await makeUser();
		const ip = '203.0.113.10';
		for (let i = 0; i < 10; i++) {
			const err = await rejection(
				accounts.signIn({ email: user.email, password: `wrong ${i}`, ip })
			);
			expect(err).toMatchObject({ code: 'auth_invalid_credentials' });
		}
		const locked = await rejection(
			accounts.signIn({ email: user.email, password: user.password, ip })
		);
		expect(locked).toBeInstanceOf(RateLimited);
		expect((locked as RateLimited).retryAfterSeconds).toBeGreaterThan(0);
		expect((locked as RateLimited).retryAfterSeconds).toBeLessThanOrEqual(15 * 60);

		const elsewhere = await accounts.signIn({
			email: user.email,
			password: user.password,
			ip: '203.0.113.11'
		});
		expect(elsewhere.id).toBe(user.id);
	});

	it('counts only consecutive failures: a success starts the count again', async () => {
		const user = await makeUser();
		const ip = '203.0.113.20';
		const fail = () =>
			rejection(accounts.signIn({ email: user.email, password: 'wrong password', ip }));
		for (let i = 0; i < 9; i++) await fail();
		await accounts.signIn({ email: user.email, password: user.password, ip });
		for (let i = 0; i < 9; i++) expect(await fail()).toBeInstanceOf(Invalid);
		const ok = await accounts.signIn({ email: user.email, password: user.password, ip });
		expect(ok.id).toBe(user.id);
	});
});

// These verify a password (argon2 at production cost) a limit's worth of times per test: 3–4 s
// alone, but several times that on a loaded two-core machine, where 30 s ran out.
describe('sign-in throttling (OWASP)', { timeout: 120_000 }, () => {
	const ACCOUNT = RATE_LIMITS.signInAccount;
	const ADDRESS = RATE_LIMITS.signInAddress;
	let net = 0;
	/** Addresses of a network of their own for each test, so no counter is shared. */
	const addressesOf = () => {
		net += 1;
		const n = net;
		return (i: number) => `198.18.${n}.${i}`;
	};
	const wrong = (email: string, ip: string, device?: string) =>
		rejection(accounts.signIn({ email, password: 'not the password at all', ip, device }));

	it('many addresses against one account: past the account’s limit every address gets 429, the right password too', async () => {
		const user = await makeUser();
		const address = addressesOf();
		for (let i = 0; i < ACCOUNT.limit; i++) {
			expect(await wrong(user.email, address(i))).toMatchObject({
				code: 'auth_invalid_credentials'
			});
		}
		const locked = await rejection(
			accounts.signIn({ email: user.email, password: user.password, ip: address(200) })
		);
		expect(locked).toBeInstanceOf(RateLimited);
		expect((locked as RateLimited).retryAfterSeconds).toBeGreaterThan(0);
		expect((locked as RateLimited).retryAfterSeconds).toBeLessThanOrEqual(ACCOUNT.windowSeconds);
		// Another account is not held.
		const other = await makeUser();
		const ok = await accounts.signIn({
			email: other.email,
			password: other.password,
			ip: address(201)
		});
		expect(ok.id).toBe(other.id);
	});

	it('one address against many accounts: past the address’s limit it gets 429 for every account', async () => {
		const ip = addressesOf()(1);
		for (let i = 0; i < ADDRESS.limit; i++) {
			expect(await wrong(uniqueEmail(), ip)).toMatchObject({ code: 'auth_invalid_credentials' });
		}
		const user = await makeUser();
		const locked = await rejection(
			accounts.signIn({ email: user.email, password: user.password, ip })
		);
		expect(locked).toBeInstanceOf(RateLimited);
		expect((locked as RateLimited).retryAfterSeconds).toBeLessThanOrEqual(ADDRESS.windowSeconds);
		const elsewhere = await accounts.signIn({
			email: user.email,
			password: user.password,
			ip: addressesOf()(1)
		});
		expect(elsewhere.id).toBe(user.id);
	});

	it('successes do not count: a class signing in behind one address is never held', async () => {
		const ip = addressesOf()(1);
		const user = await makeUser();
		for (let i = 0; i < ADDRESS.limit + 5; i++) {
			await accounts.signIn({ email: user.email, password: user.password, ip });
		}
		expect(await wrong(user.email, ip)).toMatchObject({ code: 'auth_invalid_credentials' });
	});

	it('the owner’s device keeps signing in while the account is throttled for everyone else', async () => {
		const owner = await makeUser();
		const address = addressesOf();
		const nat = address(1); // the owner and the attacker behind one campus NAT
		const own = await issueDeviceToken(owner.id);
		const stranger = await makeUser();
		const foreign = await issueDeviceToken(stranger.id);
		for (let i = 0; i < ACCOUNT.limit; i++) await wrong(owner.email, i < 10 ? nat : address(i));
		// Everyone else: refused, even with the right password, even with another account's cookie.
		for (const device of [undefined, foreign.token, `${own.token.slice(0, -2)}xx`]) {
			const refused = await rejection(
				accounts.signIn({ email: owner.email, password: owner.password, ip: nat, device })
			);
			expect(refused, String(device)).toBeInstanceOf(RateLimited);
		}
		// The owner's browser, from the very same address.
		const ok = await accounts.signIn({
			email: owner.email,
			password: owner.password,
			ip: nat,
			device: own.token
		});
		expect(ok.id).toBe(owner.id);
		// A stolen cookie gets only the device's own few guesses, then counts for nothing.
		for (let i = 0; i < RATE_LIMITS.signInDevice.limit; i++) {
			expect(await wrong(owner.email, address(100), own.token)).toBeInstanceOf(Invalid);
		}
		const spent = await rejection(
			accounts.signIn({
				email: owner.email,
				password: owner.password,
				ip: address(100),
				device: own.token
			})
		);
		expect(spent).toBeInstanceOf(RateLimited);
	});

	it('an expired or forged device cookie is no device cookie', async () => {
		const user = await makeUser();
		const old = await issueDeviceToken(user.id, { now: new Date(Date.now() - 200 * 86_400_000) });
		expect(await readDeviceToken(old.token)).toBeNull();
		const fresh = await issueDeviceToken(user.id);
		expect(await readDeviceToken(fresh.token)).toMatchObject({ userId: user.id });
		const [id, device, expires, mac] = fresh.token.split('.');
		expect(await readDeviceToken(`${id}.${device}.${Number(expires) + 1}.${mac}`)).toBeNull();
		expect(await readDeviceToken('garbage')).toBeNull();
		expect(await readDeviceToken(`not-a-uuid.${device}.${expires}.${mac}`)).toBeNull();
	});

	it('a new password, changed or reset, ends every device cookie made before it', async () => {
		const team = await makeTeam();
		const member = await addMember(team);
		const current = await createSession(member.id);
		const before = await issueDeviceToken(member.id);
		expect(await readDeviceToken(before.token)).toMatchObject({ userId: member.id });
		const changed = 'a brand new passphrase 2026';
		await accounts.changePassword(
			{ userId: member.id },
			{ currentPassword: DEFAULT_PASSWORD, newPassword: changed },
			current.session.id
		);
		expect(await readDeviceToken(before.token)).toBeNull();
		// The old cookie no longer gets past the account's throttle.
		const address = addressesOf();
		for (let i = 0; i < ACCOUNT.limit; i++) await wrong(member.email, address(i));
		const refused = await rejection(
			accounts.signIn({
				email: member.email,
				password: changed,
				ip: address(1),
				device: before.token
			})
		);
		expect(refused).toBeInstanceOf(RateLimited);
		// One made after the change counts, until a reset link's new password ends it in turn.
		const after = await issueDeviceToken(member.id);
		expect(await readDeviceToken(after.token)).toMatchObject({ userId: member.id });
		const ok = await accounts.signIn({
			email: member.email,
			password: changed,
			ip: address(1),
			device: after.token
		});
		expect(ok.id).toBe(member.id);
		const link = await accounts.createPasswordReset(
			{ userId: team.captain.id },
			team.teamId,
			member.id
		);
		await accounts.consumePasswordReset(link.token, 'yet another passphrase 2027');
		expect(await readDeviceToken(after.token)).toBeNull();
	});
});

describe('updateProfile', () => {
	it('changes the name and phone of the actor only', async () => {
		const user = await makeUser();
		const other = await makeUser();
		const updated = await accounts.updateProfile(
			{ userId: user.id },
			{ displayName: '王芳', phone: '+86 139-0000-0000' }
		);
		expect(updated).toMatchObject({ id: user.id, displayName: '王芳', phone: '+86 139-0000-0000' });
		expect(await accounts.getUser(other.id)).toMatchObject({ displayName: other.displayName });
		const cleared = await accounts.updateProfile(
			{ userId: user.id },
			{ displayName: '王芳', phone: '' }
		);
		expect(cleared.phone).toBe(null);
	});

	it('refuses an empty name', async () => {
		const user = await makeUser();
		const err = await rejection(
			accounts.updateProfile({ userId: user.id }, { displayName: '   ', phone: '' })
		);
		expect((err as Invalid).fields).toEqual({ displayName: ['auth_display_name_length'] });
		expect(await accounts.getUser(user.id)).toMatchObject({ displayName: user.displayName });
	});
});

describe('changePassword', () => {
	it('needs the current password', async () => {
		const user = await makeUser();
		const { session } = await createSession(user.id);
		const err = await rejection(
			accounts.changePassword(
				{ userId: user.id },
				{ currentPassword: 'not it', newPassword: 'a brand new password' },
				session.id
			)
		);
		expect((err as Invalid).fields).toEqual({
			currentPassword: ['account_current_password_wrong']
		});
	});

	it('sets the new password and ends every other session of the user', async () => {
		const user = await makeUser();
		const current = await createSession(user.id);
		const phone = await createSession(user.id);
		const someoneElse = await createSession((await makeUser()).id);
		await accounts.changePassword(
			{ userId: user.id },
			{ currentPassword: user.password, newPassword: 'a brand new password' },
			current.session.id
		);
		expect(await validateSessionToken(current.token)).not.toBe(null);
		expect(await validateSessionToken(phone.token)).toBe(null);
		expect(await validateSessionToken(someoneElse.token)).not.toBe(null);

		const ip = '203.0.113.30';
		const old = await rejection(
			accounts.signIn({ email: user.email, password: user.password, ip })
		);
		expect(old).toBeInstanceOf(Invalid);
		const renewed = await accounts.signIn({
			email: user.email,
			password: 'a brand new password',
			ip
		});
		expect(renewed.id).toBe(user.id);
	});
});

describe('consumePasswordReset', () => {
	async function resetLinkFor(now?: Date) {
		const team = await makeTeam();
		const member = await addMember(team);
		const link = await accounts.createPasswordReset(
			{ userId: team.captain.id },
			team.teamId,
			member.id,
			now
		);
		return { team, member, token: link.token };
	}

	it('is stored hashed, shows whom it is for, sets the password once and ends all sessions', async () => {
		const { member, token } = await resetLinkFor();
		const [row] = await getDb()
			.select()
			.from(passwordResets)
			.where(eq(passwordResets.userId, member.id));
		expect(row.tokenHash).toBe(hashToken(token));

		expect(await accounts.getPasswordResetTarget(token)).toMatchObject({ email: member.email });
		const session = await createSession(member.id);

		const user = await accounts.consumePasswordReset(token, 'my new password 1');
		expect(user.id).toBe(member.id);
		expect(await validateSessionToken(session.token)).toBe(null);
		const signedIn = await accounts.signIn({
			email: member.email,
			password: 'my new password 1',
			ip: '203.0.113.40'
		});
		expect(signedIn.id).toBe(member.id);

		const again = await rejection(accounts.consumePasswordReset(token, 'my new password 2'));
		expect(again).toBeInstanceOf(NotFound);
		expect((again as NotFound).code).toBe('reset_link_invalid');
		expect(await accounts.getPasswordResetTarget(token)).toBe(null);
	});

	it('refuses an expired link and an unknown or malformed one', async () => {
		const { member, token } = await resetLinkFor(new Date(Date.now() - 25 * 60 * 60 * 1000));
		expect(await accounts.getPasswordResetTarget(token)).toBe(null);
		for (const candidate of [token, 'a'.repeat(32), 'not a token']) {
			const err = await rejection(accounts.consumePasswordReset(candidate, 'my new password 1'));
			expect(err).toMatchObject({ code: 'reset_link_invalid' });
		}
		// The old password still works: nothing changed.
		const user = await accounts.signIn({
			email: member.email,
			password: DEFAULT_PASSWORD,
			ip: '203.0.113.41'
		});
		expect(user.id).toBe(member.id);
	});

	it('validates the new password before spending the link', async () => {
		const { token } = await resetLinkFor();
		const err = await rejection(accounts.consumePasswordReset(token, 'short'));
		expect((err as Invalid).fields).toEqual({ newPassword: ['auth_password_too_short'] });
		expect(await accounts.getPasswordResetTarget(token)).not.toBe(null);
	});

	it('tells its page an unknown link from a used or expired one (404 / 410)', async () => {
		const { member, token } = await resetLinkFor();
		expect(await accounts.openPasswordReset(token)).toMatchObject({
			status: 'valid',
			target: { email: member.email }
		});
		const later = new Date(Date.now() + 25 * 60 * 60 * 1000);
		expect(await accounts.openPasswordReset(token, { now: later })).toEqual({ status: 'expired' });
		await accounts.consumePasswordReset(token, 'my new password 1');
		expect(await accounts.openPasswordReset(token)).toEqual({ status: 'used' });
		for (const unknown of ['a'.repeat(32), 'not a token', '']) {
			expect(await accounts.openPasswordReset(unknown)).toEqual({ status: 'unknown' });
		}
	});

	it('spends the user’s other open links too', async () => {
		const { team, member, token } = await resetLinkFor();
		const second = await accounts.createPasswordReset(
			{ userId: team.captain.id },
			team.teamId,
			member.id
		);
		await accounts.consumePasswordReset(token, 'my new password 1');
		expect(await accounts.getPasswordResetTarget(second.token)).toBe(null);
	});

	it.runIf(isPostgres)('lets only one of two simultaneous submissions use a link', async () => {
		const { token } = await resetLinkFor();
		const results = await Promise.allSettled([
			accounts.consumePasswordReset(token, 'first new password'),
			accounts.consumePasswordReset(token, 'second new password')
		]);
		expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
		const rejected = results.find((r) => r.status === 'rejected');
		expect(rejected?.reason).toMatchObject({ code: 'reset_link_invalid' });
	});
});

describe('password policy (NIST SP 800-63B)', () => {
	const COMMON = [
		'password',
		'12345678',
		'aaaaaaaa',
		'        ',
		'P@ssw0rd',
		'qwertyuiop',
		'1qaz2wsx'
	];

	it('refuses common and easily guessed passwords at sign-up, saying why', async () => {
		for (const password of COMMON) {
			const email = uniqueEmail();
			const err = await rejection(accounts.signUp({ email, displayName: '王小明', password }));
			expect((err as Invalid).fields, password).toEqual({ password: ['auth_password_common'] });
			expect(await getDb().select().from(users).where(eq(users.email, email))).toEqual([]);
		}
	});

	it('refuses the account’s own email or name, and passwords built on them', async () => {
		const email = uniqueEmail();
		for (const password of [email, email.split('@')[0], 'Wang Xiaoming', `${email}1`]) {
			const err = await rejection(
				accounts.signUp({ email, displayName: 'Wang Xiaoming', password })
			);
			expect((err as Invalid).fields, password).toEqual({ password: ['auth_password_personal'] });
		}
	});

	it('accepts long passphrases, 64 characters and more, and any characters', async () => {
		for (const password of [
			'correct horse battery staple',
			'稻田边的小学 周六上午九点 见'.padEnd(64, '！'),
			'x7#Lq!'.repeat(40)
		]) {
			const user = await accounts.signUp({ email: uniqueEmail(), displayName: 'A', password });
			expect(user.id).toBeTruthy();
		}
	});

	it('applies to a password change and a reset link, which stays unspent', async () => {
		const user = await makeUser();
		const { session } = await createSession(user.id);
		const change = await rejection(
			accounts.changePassword(
				{ userId: user.id },
				{ currentPassword: user.password, newPassword: '12345678' },
				session.id
			)
		);
		expect((change as Invalid).fields).toEqual({ newPassword: ['auth_password_common'] });
		const own = await rejection(
			accounts.changePassword(
				{ userId: user.id },
				{ currentPassword: user.password, newPassword: user.email },
				session.id
			)
		);
		expect((own as Invalid).fields).toEqual({ newPassword: ['auth_password_personal'] });

		const team = await makeTeam();
		const member = await addMember(team);
		const link = await accounts.createPasswordReset(
			{ userId: team.captain.id },
			team.teamId,
			member.id
		);
		const reset = await rejection(accounts.consumePasswordReset(link.token, 'password1'));
		expect((reset as Invalid).fields).toEqual({ newPassword: ['auth_password_common'] });
		expect(await accounts.getPasswordResetTarget(link.token)).not.toBe(null);
	});

	it('never re-judges an existing password: an account with a weak one still signs in', async () => {
		const weak = await makeUser();
		const weakHash = await memoizedPasswordHash('12345678')();
		await getDb().update(users).set({ passwordHash: weakHash }).where(eq(users.id, weak.id));
		const signedIn = await accounts.signIn({
			email: weak.email,
			password: '12345678',
			ip: '203.0.113.77'
		});
		expect(signedIn.id).toBe(weak.id);
	});
});
