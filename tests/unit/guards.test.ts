import { describe, expect, it } from 'vitest';
import { isHttpError, isRedirect } from '@sveltejs/kit';
import { requireApiUser, requireSession, requireUser } from '../../src/lib/server/auth/guards';

const user = { id: 'u1', email: 'a@example.test', displayName: 'A', phone: null };
const session = { id: 'f'.repeat(64), userId: 'u1', expiresAt: new Date() };

function eventFor(url: string, method = 'GET', signedIn = false) {
	return {
		url: new URL(url),
		request: new Request(url, { method }),
		locals: {
			requestId: 'r',
			locale: 'en' as const,
			user: signedIn ? user : null,
			session: signedIn ? session : null
		}
	};
}

function thrown(fn: () => unknown): unknown {
	try {
		fn();
	} catch (err) {
		return err;
	}
	return expect.unreachable('expected the guard to throw');
}

describe('guards', () => {
	it('give the signed-in user and session', () => {
		const event = eventFor('http://localhost/account', 'GET', true);
		expect(requireUser(event)).toBe(user);
		expect(requireSession(event)).toEqual({ user, session });
		expect(requireApiUser(event)).toBe(user);
	});

	it('send a page visitor to sign-in with the way back, query included', () => {
		const err = thrown(() => requireUser(eventFor('http://localhost/teams/x?tab=invites')));
		expect(isRedirect(err) && err).toMatchObject({
			status: 303,
			location: '/sign-in?redirectTo=%2Fteams%2Fx%3Ftab%3Dinvites'
		});
	});

	it('send a form action back to its page, not to the action', () => {
		const err = thrown(() =>
			requireUser(eventFor('http://localhost/account?/changePassword', 'POST'))
		);
		expect(isRedirect(err) && err).toMatchObject({
			status: 303,
			location: '/sign-in?redirectTo=%2Faccount'
		});
	});

	it('answer a JSON endpoint with 401 and a localised message', () => {
		const err = thrown(() => requireApiUser(eventFor('http://localhost/api/x', 'POST')));
		expect(isHttpError(err) && err).toMatchObject({
			status: 401,
			body: { message: 'Please sign in first.' }
		});
	});
});
