// Sessions over HTTP against the built app: a new session at sign-in (a cookie planted before
// is never reused), sign-out and removal from a team effective on the next request, forged
// and stale cookies refused and cleared, a password change ending the user's other sessions.
import { expect, test } from '@playwright/test';
import { Client, PASSWORD, appOrigin } from './http-client';

/** 20 random bytes in base32, shaped like a real session token. */
function forgedToken(): string {
	const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
	return Array.from(crypto.getRandomValues(new Uint8Array(32)), (b) => alphabet[b % 32]).join('');
}

/** Signed in: the account page answers 200; signed out: a redirect to sign-in. */
async function isSignedIn(client: Client): Promise<boolean> {
	const response = await client.send('/account');
	if (response.status === 200) return true;
	expect(response.status).toBe(303);
	expect(response.headers.get('location')).toMatch(/^\/sign-in\?redirectTo=/);
	return false;
}

test('sign-in starts a new session: a cookie planted before is neither kept nor let in', async () => {
	const owner = new Client(appOrigin());
	const email = await owner.signUp();

	// Someone plants a token of their choosing (a shared computer, a sibling subdomain).
	const victim = new Client(appOrigin());
	const planted = forgedToken();
	victim.cookies.set('session', planted);
	// Refused and cleared at once, before any sign-in.
	expect(await isSignedIn(victim)).toBe(false);
	expect(victim.cookies.has('session')).toBe(false);

	victim.cookies.set('session', planted);
	const signIn = await victim.signIn(email);
	expect(signIn.status).toBe(303);
	const issued = victim.cookies.get('session');
	expect(issued).toMatch(/^[a-z2-7]{32}$/);
	expect(issued).not.toBe(planted);
	expect(await isSignedIn(victim)).toBe(true);

	// The planted token opens nothing after the sign-in either.
	const attacker = new Client(appOrigin());
	attacker.cookies.set('session', planted);
	expect(await isSignedIn(attacker)).toBe(false);

	// A second sign-in in the same browser replaces the session it held.
	const before = victim.cookies.get('session')!;
	expect((await victim.signIn(email)).status).toBe(303);
	expect(victim.cookies.get('session')).not.toBe(before);
	const old = new Client(appOrigin());
	old.cookies.set('session', before);
	expect(await isSignedIn(old)).toBe(false);
});

test('sign-out ends the session: a copy of the old cookie is refused and cleared', async () => {
	const client = new Client(appOrigin());
	await client.signUp();
	const token = client.cookies.get('session')!;
	expect(await isSignedIn(client)).toBe(true);

	const signOut = await client.send('/sign-out', { method: 'POST' });
	expect(signOut.status).toBe(303);
	expect(client.cookies.has('session')).toBe(false);

	const copy = new Client(appOrigin());
	copy.cookies.set('session', token);
	const response = await copy.send('/teams');
	expect(response.status).toBe(303);
	expect(response.headers.getSetCookie().join('\n')).toMatch(/^session=;.*Max-Age=0/im);
	expect(copy.cookies.has('session')).toBe(false);
	// A JSON endpoint answers 401 to the same cookie.
	copy.cookies.set('session', token);
	expect((await copy.send('/api/realtime/token')).status).toBe(401);
});

test('forged and malformed cookies are refused and cleared', async () => {
	for (const value of [forgedToken(), 'not-a-token', "' or 1=1 --", 'A'.repeat(4000)]) {
		const client = new Client(appOrigin());
		client.cookies.set('session', encodeURIComponent(value));
		expect(await isSignedIn(client), value.slice(0, 20)).toBe(false);
		expect(client.cookies.has('session'), value.slice(0, 20)).toBe(false);
	}
});

test('removal from a team is effective on the next request', async () => {
	const captain = new Client(appOrigin());
	await captain.signUp({ name: '队长' });
	const teamId = await captain.createTeam();
	const invite = await captain.createInvite(teamId);

	const member = new Client(appOrigin());
	await member.signUp({ name: '队员' });
	const joined = await member.postForm(`/invite/${invite}?/join`, {});
	expect(joined.status).toBe(303);
	expect(joined.headers.get('location')).toBe(`/teams/${teamId}`);
	const page = await member.send(`/teams/${teamId}`);
	expect(page.status).toBe(200);
	// The page hands the browser its own user id (`me`).
	const memberId = /me:\{userId:"([0-9a-f-]{36})"/.exec(await page.text())?.[1];
	expect(memberId).toBeTruthy();

	const removed = await captain.postEnhanced(`/teams/${teamId}?/remove`, { userId: memberId! });
	expect(removed.status).toBe(200);
	expect(await removed.text()).toContain('"type":"success"');

	// The very next request: the team is gone for them, pages and actions alike.
	expect((await member.send(`/teams/${teamId}`)).status).toBe(404);
	// Client-side navigation gets the same 404 inside SvelteKit's data answer.
	const data = await member.send(`/teams/${teamId}/__data.json`);
	expect(await data.text()).toMatch(/"type":"error".*"status":404/);
	const invite2 = await member.postEnhanced(`/teams/${teamId}?/createInvite`, {
		role: 'volunteer'
	});
	// Membership is checked before the form is read (event-request.ts): SvelteKit's error result.
	expect(invite2.status).toBe(404);
	expect(await invite2.text()).toContain('"type":"error"');
	expect(await isSignedIn(member)).toBe(true);
});

test('a password change ends the other sessions and keeps the current one', async () => {
	const phone = new Client(appOrigin());
	const email = await phone.signUp();
	const laptop = new Client(appOrigin());
	expect((await laptop.signIn(email)).status).toBe(303);
	expect(await isSignedIn(laptop)).toBe(true);

	const changed = await phone.postEnhanced('/account?/changePassword', {
		currentPassword: PASSWORD,
		newPassword: 'another good long password'
	});
	expect(await changed.text()).toContain('"type":"success"');

	expect(await isSignedIn(phone)).toBe(true);
	expect(await isSignedIn(laptop)).toBe(false);
	expect(laptop.cookies.has('session')).toBe(false);
	// The new password works; the old one does not.
	const again = new Client(appOrigin());
	expect((await again.signIn(email)).status).not.toBe(303);
	expect(again.cookies.has('session')).toBe(false);
	expect((await again.signIn(email, 'another good long password')).status).toBe(303);
});
