// Users made through the domain command, as the app makes them. All share one password whose
// argon2 hash is computed once per test run, so a test can create many users quickly.
import * as accounts from '../../src/lib/server/accounts';
import { memoizedPasswordHash } from '../../src/lib/server/auth/password';
import type { SessionUser } from '../../src/lib/server/auth/session';

export const DEFAULT_PASSWORD = 'correct horse battery staple';
const defaultHash = memoizedPasswordHash(DEFAULT_PASSWORD);

let counter = 0;

export interface UserFixture extends SessionUser {
	password: string;
}

export async function makeUser(
	overrides: { email?: string; displayName?: string; phone?: string; password?: string } = {}
): Promise<UserFixture> {
	const n = ++counter;
	const password = overrides.password ?? DEFAULT_PASSWORD;
	const user = await accounts.signUp(
		{
			email: overrides.email ?? `user-${n}-${crypto.randomUUID().slice(0, 8)}@example.test`,
			displayName: overrides.displayName ?? `User ${n}`,
			phone: overrides.phone,
			password
		},
		{ passwordHash: overrides.password === undefined ? await defaultHash() : undefined }
	);
	return { ...user, password };
}
