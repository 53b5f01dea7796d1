// The one HTTP client of the e2e specs: a cookie jar of its own over `fetch`, form actions
// posted as a browser without JavaScript would (plain) and as `use:enhance` would (JSON), any
// request with exactly the headers a spec gives (Origin, address, language), page data read from
// SvelteKit's `__data.json`, the test hook's database digest, and the sign-up, team and invite
// steps that many specs begin with.
import { expect } from '@playwright/test';
import { parse, unflatten } from 'devalue';
import type { DatabaseDigest } from '../../src/lib/server/db/digest';
import type { Body } from './route-table';

/** The password of every account the e2e specs make. */
export const PASSWORD = 'volunteer-day-2026';

export const unique = () => Math.random().toString(36).slice(2, 10);

/** The origin of this worker's Playwright web server (the built app). */
export function appOrigin(): string {
	return `http://localhost:${Number(process.env.E2E_PORT ?? 4173)}`;
}

export interface Outcome {
	/** The HTTP status; for an enhanced action, the status inside its JSON result. */
	status: number;
	/** The HTTP status of the response itself. */
	httpStatus: number;
	/** Enhanced actions: `success`, `failure`, `redirect` or `error`. */
	type?: string;
	location?: string;
	text: string;
}

/** SvelteKit's answer to an enhanced form action. */
export interface ActionResult {
	type: 'success' | 'failure' | 'redirect' | 'error';
	status: number;
	location?: string;
	data?: Record<string, unknown>;
}

/** What the test hook answers: `databaseDigest` of the app's database. */
export type Digest = DatabaseDigest;

export function formBody(body: Body): string {
	const params = new URLSearchParams();
	for (const [key, value] of Object.entries(body)) {
		for (const v of Array.isArray(value) ? value : [value]) params.append(key, v);
	}
	return params.toString();
}

export interface PostOptions {
	enhanced?: boolean;
	/** A raw body with its own content type, instead of a form. */
	raw?: { data: string | Buffer; contentType: string };
}

export interface SendInit {
	method?: string;
	headers?: Record<string, string>;
	body?: BodyInit;
	/** The Origin header: the app's own by default, `null` to leave it out. */
	origin?: string | null;
}

export interface ClientOptions {
	/** Sent as X-Forwarded-For, for servers started with ADDRESS_HEADER. */
	address?: string;
	/** ORIGIN when it differs from `origin` (an https proxy in front). */
	publicOrigin?: string;
	language?: string;
}

const HTML = 'text/html,application/xhtml+xml';

export class Client {
	readonly cookies: Map<string, string>;

	/** What the app calls its origin (ORIGIN); the Origin header browsers would send. */
	readonly publicOrigin: string;
	readonly address: string | undefined;
	readonly language: string | undefined;

	constructor(
		/** Where the requests go. */
		readonly origin: string,
		options: ClientOptions = {},
		cookies = new Map<string, string>()
	) {
		this.address = options.address;
		this.language = options.language;
		this.publicOrigin = options.publicOrigin ?? origin;
		this.cookies = cookies;
	}

	static async open(origin: string): Promise<Client> {
		return new Client(origin);
	}

	/**
	 * Another tab of the same browser as it is now, on `origin` (another instance of the app): a
	 * copy of the cookies, which later Set-Cookie answers to either client do not change.
	 */
	at(origin: string): Client {
		const options = { address: this.address, language: this.language };
		return new Client(origin, options, new Map(this.cookies));
	}

	/** Forgets the session, as a closed browser would. */
	async dispose(): Promise<void> {
		this.cookies.clear();
	}

	get cookieHeader(): string {
		return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
	}

	/** The jar as a browser context's `storageState`, to hand the session to a real page. */
	async storageState() {
		const domain = new URL(this.origin).hostname;
		return {
			cookies: [...this.cookies].map(([name, value]) => ({
				name,
				value,
				domain,
				path: '/',
				expires: -1,
				httpOnly: true,
				secure: false,
				sameSite: 'Lax' as const
			})),
			origins: []
		};
	}

	/** Any request; `Origin` defaults to the app's own (pass `origin: null` to leave it out). */
	async send(path: string, init: SendInit = {}): Promise<Response> {
		const headers: Record<string, string> = { ...init.headers };
		const origin = init.origin === undefined ? this.publicOrigin : init.origin;
		if (origin !== null) headers.origin = origin;
		if (this.language) headers['accept-language'] = this.language;
		if (this.cookies.size > 0) headers.cookie = this.cookieHeader;
		if (this.address) headers['x-forwarded-for'] = this.address;
		const request = () =>
			fetch(new URL(path, this.origin), {
				method: init.method ?? 'GET',
				headers,
				body: init.body,
				redirect: 'manual'
			});
		// Tried again once on a connection the server closed: after a POST whose big body it did
		// not read (an action that takes no fields, given a hostile one), Node closes that
		// keep-alive socket, and the next request on it fails where a browser would quietly retry.
		const response = await request().catch((err: Error) => {
			if (!/ECONNRESET|EPIPE|UND_ERR_SOCKET|other side closed/.test(String(err.cause))) throw err;
			return request();
		});
		for (const line of response.headers.getSetCookie()) {
			const [pair, ...attributes] = line.split(';');
			const at = pair.indexOf('=');
			const name = pair.slice(0, at).trim();
			const isGone =
				pair.slice(at + 1) === '' || attributes.some((a) => /^\s*max-age=0\s*$/i.test(a));
			if (isGone) this.cookies.delete(name);
			else this.cookies.set(name, pair.slice(at + 1));
		}
		return response;
	}

	/** A plain form POST as a browser without JavaScript sends it (HTML answer). */
	postForm(path: string, form: Record<string, string>, headers: Record<string, string> = {}) {
		return this.send(path, {
			method: 'POST',
			headers: {
				accept: 'text/html',
				'content-type': 'application/x-www-form-urlencoded',
				...headers
			},
			body: new URLSearchParams(form)
		});
	}

	/** The same POST as use:enhance sends it (JSON answer). */
	postEnhanced(path: string, form: Record<string, string>) {
		return this.postForm(path, form, { accept: 'application/json', 'x-sveltekit-action': 'true' });
	}

	/** A form action as `use:enhance` posts it, its JSON result read (`data` decoded). */
	async act(path: string, form: Record<string, string>): Promise<ActionResult> {
		const body = (await (await this.postEnhanced(path, form)).json()) as ActionResult & {
			data?: string;
		};
		return { ...body, data: typeof body.data === 'string' ? parse(body.data) : undefined };
	}

	/** A page as a browser asks for it, read into an Outcome. */
	async get(path: string): Promise<Outcome> {
		const res = await this.send(path, { headers: { accept: HTML } });
		const text = await res.text();
		return {
			status: res.status,
			httpStatus: res.status,
			location: res.headers.get('location') ?? undefined,
			text
		};
	}

	/** POST `path?/name` (or `path` itself for an endpoint when `name` is null). */
	async post(
		path: string,
		name: string | null,
		body: Body,
		{ enhanced = false, raw }: PostOptions = {}
	): Promise<Outcome> {
		const url = name === null ? path : `${path}?/${name}`;
		// As a browser's form post sends it: with `*/*`, SvelteKit would answer in JSON.
		const headers: Record<string, string> = {
			'content-type': raw?.contentType ?? 'application/x-www-form-urlencoded',
			accept: HTML
		};
		if (enhanced) {
			headers.accept = 'application/json';
			headers['x-sveltekit-action'] = 'true';
		}
		const res = await this.send(url, {
			method: 'POST',
			body: !raw
				? formBody(body)
				: typeof raw.data === 'string'
					? raw.data
					: new Uint8Array(raw.data),
			headers
		});
		const text = await res.text();
		const outcome: Outcome = {
			status: res.status,
			httpStatus: res.status,
			location: res.headers.get('location') ?? undefined,
			text
		};
		if (enhanced && (res.headers.get('content-type') ?? '').includes('application/json')) {
			const result = JSON.parse(text) as { type?: string; status?: number; location?: string };
			if (result.type) {
				outcome.type = result.type;
				if (result.type === 'failure' || result.type === 'redirect') {
					outcome.status = result.status ?? res.status;
				}
				if (result.type === 'redirect') outcome.location = result.location;
			}
		}
		return outcome;
	}

	/** The server data of a page (every layout and the page), as its loads returned it. */
	async pageData(path: string): Promise<unknown[]> {
		const res = await this.send(`${path.replace(/\/$/, '')}/__data.json`);
		expect(res.status, `data of ${path}`).toBe(200);
		const json = (await res.json()) as {
			type: string;
			nodes?: ({ type: string; data?: unknown[] } | null)[];
		};
		expect(json.type, `data of ${path}: ${JSON.stringify(json).slice(0, 300)}`).toBe('data');
		return (json.nodes ?? []).map((node) =>
			node?.type === 'data' && node.data ? unflatten(node.data) : null
		);
	}

	async digest(): Promise<Digest> {
		const res = await this.send('/api/test/db-digest');
		expect(res.status, 'the db-digest test hook (TONGXING_TEST_HOOKS=1)').toBe(200);
		return ((await res.json()) as { digest: Digest }).digest;
	}

	/** Signs up through the form (the session cookie lands in the jar); returns the email. */
	async signUp(
		options: { name?: string; email?: string; password?: string } = {}
	): Promise<string> {
		const name = options.name ?? '安全测试';
		const prefix = name.toLowerCase().replace(/[^a-z0-9]/g, '') || 'person';
		const email = options.email ?? `${prefix}-${unique()}@example.test`;
		const res = await this.postForm('/sign-up?/signUp', {
			email,
			displayName: name,
			password: options.password ?? PASSWORD
		});
		const text = res.status === 303 ? '' : (await res.text()).slice(0, 200);
		expect(res.status, `sign-up of ${name}: ${text}`).toBe(303);
		return email;
	}

	async signIn(email: string, password = PASSWORD): Promise<Response> {
		return this.postForm('/sign-in?/signIn', { email, password });
	}

	/** Creates a team and returns its id. */
	async createTeam(name = `队-${unique()}`): Promise<string> {
		const response = await this.postForm('/teams?/create', { name });
		expect(response.status, 'team creation').toBe(303);
		const id = /\/teams\/([0-9a-f-]{36})$/.exec(response.headers.get('location') ?? '')?.[1];
		expect(id, `team creation answered ${response.headers.get('location')}`).toBeTruthy();
		return id!;
	}

	/**
	 * Creates an event of `teamId` through the new-event form and publishes it to the team (out of
	 * draft: claims, check-ins and incident reports are taken only then); returns its id.
	 */
	async createPlannedEvent(teamId: string, fields: Record<string, string>): Promise<string> {
		const response = await this.postForm(`/teams/${teamId}/events/new?/create`, fields);
		const id = /\/events\/([0-9a-f-]{36})$/.exec(response.headers.get('location') ?? '')?.[1];
		expect(id, `event creation answered ${response.status}`).toBeTruthy();
		const planned = await this.act(`/teams/${teamId}/events/${id}?/status`, { status: 'planned' });
		expect(planned.type, JSON.stringify(planned)).toBe('success');
		return id!;
	}

	/** The token of a new invite link of `teamId` (the enhanced answer carries its URL). */
	async createInvite(teamId: string, form: Record<string, string> = {}): Promise<string> {
		const response = await this.postEnhanced(`/teams/${teamId}?/createInvite`, {
			role: 'volunteer',
			...form
		});
		const text = await response.text();
		const token = /\/invite\/([A-Za-z0-9_-]+)/.exec(text)?.[1];
		expect(
			token,
			`invite creation answered ${response.status}: ${text.slice(0, 200)}`
		).toBeTruthy();
		return token!;
	}

	/** Joins a team by an invite's token; the answer's location is the team's page. */
	async join(inviteToken: string): Promise<Outcome> {
		return this.post(`/invite/${inviteToken}`, 'join', {});
	}
}

/** Depth-first: the first object in `root` for which `match` holds. */
export function findObject(
	root: unknown,
	match: (o: Record<string, unknown>) => boolean
): Record<string, unknown> | undefined {
	const seen = new Set<unknown>();
	const stack: unknown[] = [root];
	while (stack.length > 0) {
		const node = stack.pop();
		if (!node || typeof node !== 'object' || seen.has(node)) continue;
		seen.add(node);
		if (!Array.isArray(node) && match(node as Record<string, unknown>)) {
			return node as Record<string, unknown>;
		}
		for (const value of Object.values(node)) stack.push(value);
	}
	return undefined;
}

/** The `id` (or `key`) of the object whose some string field equals `label`. */
export function idOf(root: unknown, label: string, key = 'id'): string {
	const found = findObject(
		root,
		(o) => typeof o[key] === 'string' && Object.values(o).some((v) => v === label)
	);
	if (!found) throw new Error(`no object with ${key} labelled ${JSON.stringify(label)}`);
	return found[key] as string;
}

/** Tables whose row count or checksum differ between two digests. */
export function changedTables(before: Digest, after: Digest): string[] {
	const names = new Set([...Object.keys(before), ...Object.keys(after)]);
	return [...names]
		.filter((t) => JSON.stringify(before[t]) !== JSON.stringify(after[t]))
		.map((t) => `${t} (${before[t]?.rows ?? '-'} → ${after[t]?.rows ?? '-'} rows)`)
		.sort();
}
