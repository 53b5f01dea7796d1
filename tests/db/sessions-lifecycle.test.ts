// The session rules of issue 12 at the domain level: no fixation, sign-out and removal
// effective at once, forged and expired tokens refused, a password change ending the others.
import { describe, expect, it } from 'vitest';
import type { Cookies } from '@sveltejs/kit';
import { eq } from 'drizzle-orm';
import * as accounts from '../../src/lib/server/accounts';
import * as teams from '../../src/lib/server/teams';
import { sessions } from '../../src/lib/server/db/schema';
import { NotFound } from '../../src/lib/server/errors';
import {
	createSession,
	generateSessionToken,
	startSession,
	validateSessionToken,
	type Session
} from '../../src/lib/server/auth/session';
import { hashToken } from '../../src/lib/server/auth/tokens';
import { addMember, makeTeam } from '../factories/teams';
import { DEFAULT_PASSWORD, makeUser } from '../factories/users';
import { useTestDatabase } from './helpers';

const t = useTestDatabase();

/** What startSession needs of a request: a cookie jar and the session it arrived with. */
function browser(token?: string, session: Session | null = null) {
	const jar = new Map<string, string>(token ? [['session', token]] : []);
	const cookies = {
		get: (name: string) => jar.get(name),
		set: (name: string, value: string) => void jar.set(name, value),
		delete: (name: string) => void jar.delete(name)
	} as unknown as Cookies;
	return { jar, event: { cookies, url: new URL('http://localhost/sign-in'), locals: { session } } };
}

async function sessionCount(userId: string): Promise<number> {
	return (await t.handle.db.select().from(sessions).where(eq(sessions.userId, userId))).length;
}

describe('session lifecycle', () => {
	it('signing in never adopts a token the browser brought', async () => {
		const user = await makeUser();
		const planted = generateSessionToken();
		const { jar, event } = browser(planted);
		const session = await startSession(event, user.id);
		const issued = jar.get('session')!;
		expect(issued).not.toBe(planted);
		expect(session.id).toBe(hashToken(issued));
		expect(await validateSessionToken(planted)).toBeNull();
		expect((await validateSessionToken(issued))?.user.id).toBe(user.id);
	});

	it('signing in again replaces the session the browser held', async () => {
		const user = await makeUser();
		const first = await createSession(user.id);
		const { jar, event } = browser(first.token, first.session);
		await startSession(event, user.id);
		expect(jar.get('session')).not.toBe(first.token);
		expect(await validateSessionToken(first.token)).toBeNull();
		expect(await sessionCount(user.id)).toBe(1);
	});

	it('refuses a forged token, and an expired one for good', async () => {
		const user = await makeUser();
		expect(await validateSessionToken(generateSessionToken())).toBeNull();
		const { token, session } = await createSession(user.id);
		const later = new Date(session.expiresAt.getTime() + 1000);
		expect(await validateSessionToken(token, { now: later })).toBeNull();
		// Found expired, it is deleted: the token stays dead even by the clock of before.
		expect(await validateSessionToken(token)).toBeNull();
		expect(await sessionCount(user.id)).toBe(0);
	});

	it('a removed member keeps their session but loses the team at once', async () => {
		const team = await makeTeam();
		const member = await addMember(team);
		const { token } = await createSession(member.id);
		const actor = { userId: member.id };
		expect((await teams.getTeamOverview(actor, team.teamId)).team.id).toBe(team.teamId);
		await teams.removeMember({ userId: team.captain.id }, team.teamId, member.id);
		expect((await validateSessionToken(token))?.user.id).toBe(member.id);
		await expect(teams.getTeamOverview(actor, team.teamId)).rejects.toBeInstanceOf(NotFound);
		await expect(teams.createInvite(actor, team.teamId, {})).rejects.toBeInstanceOf(NotFound);
	});

	it('a password change ends the other sessions and keeps the current one', async () => {
		const user = await makeUser();
		const current = await createSession(user.id);
		const others = [await createSession(user.id), await createSession(user.id)];
		const stranger = await createSession((await makeUser()).id);
		await accounts.changePassword(
			{ userId: user.id },
			{ currentPassword: DEFAULT_PASSWORD, newPassword: 'a brand new password' },
			current.session.id
		);
		expect(await validateSessionToken(current.token)).not.toBeNull();
		for (const other of others) expect(await validateSessionToken(other.token)).toBeNull();
		expect(await validateSessionToken(stranger.token)).not.toBeNull();
		expect(await sessionCount(user.id)).toBe(1);
	});
});
