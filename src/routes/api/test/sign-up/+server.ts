import { error, json, type RequestHandler } from '@sveltejs/kit';
import * as accounts from '$lib/server/accounts';
import { appEnv } from '$lib/server/app';
import { memoizedPasswordHash } from '$lib/server/auth/password';
import { startSession } from '$lib/server/auth/session';
import { isDomainError } from '$lib/server/errors';

// Test-only (TONGXING_TEST_HOOKS=1): makes an account through the same domain command as the
// sign-up form and signs the caller in with its session cookie, without the form's address
// limit and with one argon2 hash per password, so that journeys which do not test signing up
// seed their people quickly (tests/e2e/seed.ts). 404 everywhere else.
const hashes = new Map<string, () => Promise<string>>();

export const POST: RequestHandler = async (event) => {
	if (!appEnv().testHooks) error(404, 'Not Found');
	const form = await event.request.formData();
	const value = (name: string) => {
		const v = form.get(name);
		return typeof v === 'string' ? v : undefined;
	};
	const password = value('password') ?? '';
	if (!hashes.has(password)) hashes.set(password, memoizedPasswordHash(password));
	let user: { id: string };
	try {
		user = await accounts.signUp(
			{ email: value('email'), displayName: value('displayName'), phone: value('phone'), password },
			{ passwordHash: await hashes.get(password)!() }
		);
	} catch (err) {
		// The test that called it reads the code (a taken email, a password the policy refuses).
		if (isDomainError(err)) return json({ error: err.code }, { status: err.status });
		throw err;
	}
	await startSession(event, user.id);
	return json({ id: user.id }, { headers: { 'cache-control': 'no-store' } });
};
