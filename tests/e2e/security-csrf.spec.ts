// CSRF (ARCHITECTURE.md "Auth") against the built app: every unsafe method × content type ×
// Origin on requests carrying the session cookie. Only the app's own Origin gets past; every
// other one is refused with 403 and changes nothing. The realtime upgrade and REST broadcast,
// which never read cookies, refuse a foreign Origin and accept a missing one.
import { expect, test } from '@playwright/test';
import { WebSocket } from 'ws';
import { Client, appOrigin, unique } from './http-client';

const METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'] as const;
const BOUNDARY = 'tongxingBoundary7MA4YWxkTrZu0gW';

/** Content types as browsers and other clients spell them, with the body each carries. */
function bodies(name: string): { type: string; body: string }[] {
	const form = new URLSearchParams({ name }).toString();
	const multipart = [
		`--${BOUNDARY}`,
		'Content-Disposition: form-data; name="name"',
		'',
		name,
		`--${BOUNDARY}--`,
		''
	].join('\r\n');
	const json = JSON.stringify({ name });
	return [
		{ type: 'application/x-www-form-urlencoded', body: form },
		{ type: 'application/x-www-form-urlencoded; charset=UTF-8', body: form },
		{ type: 'Application/X-WWW-Form-Urlencoded', body: form },
		{ type: `multipart/form-data; boundary=${BOUNDARY}`, body: multipart },
		{ type: `Multipart/Form-Data; charset=utf-8; boundary=${BOUNDARY}`, body: multipart },
		{ type: 'text/plain', body: `name=${name}` },
		{ type: 'Text/Plain; charset=utf-8', body: `name=${name}` },
		{ type: 'application/json', body: json },
		{ type: 'Application/JSON; charset=utf-8', body: json }
	];
}

function foreignOrigins(own: string): (string | null)[] {
	const url = new URL(own);
	return [
		'https://evil.example',
		`http://${url.hostname}:${Number(url.port) + 1}`, // a sibling port is another origin
		`https://${url.host}`, // so is another scheme
		'null',
		null // no Origin header at all
	];
}

/** The names on the user's team list, as the page shows them. */
async function teamNames(client: Client): Promise<string[]> {
	const response = await client.send('/teams');
	expect(response.status).toBe(200);
	const html = await response.text();
	return [...html.matchAll(/<span class="name[^"]*">([^<]+)<\/span>/g)].map((m) => m[1]).sort();
}

test('only a same-origin unsafe request with the session cookie gets through', async () => {
	const client = new Client(appOrigin());
	await client.signUp();
	await client.createTeam(`基准-${unique()}`);
	const before = await teamNames(client);
	const foreign = foreignOrigins(client.origin);

	const refusals: string[] = [];
	for (const method of METHODS) {
		for (const { type } of bodies('x')) {
			for (const origin of foreign) {
				const name = `跨站-${unique()}`;
				const { body } = bodies(name).find((b) => b.type === type)!;
				for (const path of ['/teams?/create', '/sign-out']) {
					const response = await client.send(path, {
						method,
						origin,
						headers: { 'content-type': type, accept: 'text/html' },
						body
					});
					if (response.status !== 403) {
						refusals.push(`${method} ${path} ${type} ${origin}: ${response.status}`);
					}
				}
			}
		}
	}
	expect(refusals, 'requests that were not refused').toEqual([]);
	// Nothing changed: no team was created, and the session was not ended.
	expect(before).toHaveLength(1);
	expect(await teamNames(client)).toEqual(before);
	expect((await client.send('/account')).status).toBe(200);

	// The same requests from the app's own origin pass the check: form bodies create a team,
	// other bodies and methods get the route's own answer (never a 403, never a 5xx).
	const created: string[] = [];
	for (const method of METHODS) {
		for (const { type } of bodies('x')) {
			const name = `同源-${unique()}`;
			const { body } = bodies(name).find((b) => b.type === type)!;
			const response = await client.send('/teams?/create', {
				method,
				headers: { 'content-type': type, accept: 'text/html' },
				body
			});
			const where = `${method} ${type}`;
			expect(response.status, where).not.toBe(403);
			expect(response.status, where).toBeLessThan(500);
			const isForm = /^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(type);
			if (method !== 'POST') {
				expect(response.status, where).toBe(405);
			} else if (/^text\/plain/i.test(type)) {
				// A form body the action cannot read: refused where it reads it (forms.ts).
				expect(response.status, where).toBe(400);
			} else if (isForm) {
				expect(response.status, where).toBe(303);
				created.push(name);
			} else {
				expect(response.status, where).toBe(415); // JSON is no form
			}
		}
	}
	expect(created).toHaveLength(5);
	expect(await teamNames(client)).toEqual([...before, ...created].sort());

	// And a same-origin sign-out does sign out.
	const signOut = await client.send('/sign-out', { method: 'POST' });
	expect(signOut.status).toBe(303);
	expect((await client.send('/account')).headers.get('location')).toMatch(/^\/sign-in/);
});

test('a cross-site request without a session cookie cannot act either', async () => {
	// Signing someone in from another site (login CSRF) is refused by SvelteKit's own check.
	const stranger = new Client(appOrigin());
	const response = await stranger.send('/sign-in?/signIn', {
		method: 'POST',
		origin: 'https://evil.example',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ email: 'a@example.test', password: 'x' })
	});
	expect(response.status).toBe(403);
	expect(stranger.cookies.has('session')).toBe(false);
});

/** The HTTP status the realtime endpoint answers a WebSocket upgrade with (101: opened). */
function upgradeStatus(url: string, origin: string | null): Promise<number> {
	return new Promise((resolve, reject) => {
		const ws = new WebSocket(url, origin === null ? {} : { origin });
		ws.on('unexpected-response', (_req, res) => {
			resolve(res.statusCode ?? 0);
			ws.terminate();
		});
		ws.on('open', () => {
			resolve(101);
			ws.close();
		});
		ws.on('error', reject);
	});
}

test('the realtime upgrade and REST broadcast refuse a foreign Origin, accept a missing one', async () => {
	const client = new Client(appOrigin());
	await client.signUp();
	const teamId = await client.createTeam();
	// The anon key is public: every live page hands it to supabase-js.
	const html = await (await client.send(`/teams/${teamId}`)).text();
	const anonKey = /anonKey:"([^"]+)"/.exec(html)?.[1];
	expect(anonKey).toBeTruthy();
	const socketUrl = `${client.origin.replace(/^http/, 'ws')}/realtime/v1/websocket?apikey=${anonKey}&vsn=2.0.0`;

	expect(await upgradeStatus(socketUrl, client.origin)).toBe(101);
	expect(await upgradeStatus(socketUrl, null)).toBe(101);
	expect(await upgradeStatus(socketUrl, 'https://evil.example')).toBe(403);
	expect(await upgradeStatus(socketUrl, 'null')).toBe(403);

	// Without a service-role key a broadcast is refused either way; the Origin decides which
	// answer comes first: 403 for a foreign one, 401 (no credential) when it is missing or ours.
	const broadcast = (origin: string | null) =>
		new Client(client.origin).send('/realtime/v1/api/broadcast', {
			method: 'POST',
			origin,
			headers: { 'content-type': 'application/json', apikey: anonKey! },
			body: JSON.stringify({ messages: [] })
		});
	expect((await broadcast('https://evil.example')).status).toBe(403);
	expect((await broadcast('null')).status).toBe(403);
	expect((await broadcast(null)).status).toBe(401);
	expect((await broadcast(client.origin)).status).toBe(401);
});
