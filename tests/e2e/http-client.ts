// A signed-in (or anonymous) HTTP client for the built app: form actions posted as a browser
// without JavaScript would (plain) and as `use:enhance` would (JSON), page data read from
// SvelteKit's `__data.json`, and the test hook's database digest.
import { expect, request, type APIRequestContext } from '@playwright/test';
import { unflatten } from 'devalue';
import type { DatabaseDigest } from '../../src/lib/server/db/digest';
import type { Body } from './route-table';

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

export class Client {
	private constructor(
		readonly api: APIRequestContext,
		readonly origin: string
	) {}

	static async open(origin: string): Promise<Client> {
		return new Client(
			await request.newContext({ baseURL: origin, extraHTTPHeaders: { origin } }),
			origin
		);
	}

	async dispose() {
		await this.api.dispose();
	}

	/**
	 * A GET, tried again once on a reset connection: after a POST whose big body the server did
	 * not read (an action that takes no fields), Node closes that keep-alive socket, and the next
	 * request on it fails as a browser would quietly retry.
	 */
	private async fetchAgain<T>(fn: () => Promise<T>): Promise<T> {
		try {
			return await fn();
		} catch (err) {
			if (!/ECONNRESET|socket hang up/.test(String(err))) throw err;
			return fn();
		}
	}

	async get(path: string): Promise<Outcome> {
		return this.fetchAgain(() => this.getOnce(path));
	}

	private async getOnce(path: string): Promise<Outcome> {
		const res = await this.api.get(path, {
			maxRedirects: 0,
			failOnStatusCode: false,
			headers: { accept: 'text/html,application/xhtml+xml' }
		});
		const text = await res.text();
		return {
			status: res.status(),
			httpStatus: res.status(),
			location: res.headers()['location'],
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
			accept: 'text/html,application/xhtml+xml'
		};
		if (enhanced) {
			headers.accept = 'application/json';
			headers['x-sveltekit-action'] = 'true';
		}
		const res = await this.api.post(url, {
			data: raw ? raw.data : formBody(body),
			headers,
			maxRedirects: 0,
			failOnStatusCode: false
		});
		const text = await res.text();
		const outcome: Outcome = {
			status: res.status(),
			httpStatus: res.status(),
			location: res.headers()['location'],
			text
		};
		if (enhanced && (res.headers()['content-type'] ?? '').includes('application/json')) {
			const result = JSON.parse(text) as { type?: string; status?: number; location?: string };
			if (result.type) {
				outcome.type = result.type;
				if (result.type === 'failure' || result.type === 'redirect') {
					outcome.status = result.status ?? res.status();
				}
				if (result.type === 'redirect') outcome.location = result.location;
			}
		}
		return outcome;
	}

	/** The server data of a page (every layout and the page), as its loads returned it. */
	async pageData(path: string): Promise<unknown[]> {
		const res = await this.api.get(`${path.replace(/\/$/, '')}/__data.json`, {
			failOnStatusCode: false
		});
		expect(res.status(), `data of ${path}`).toBe(200);
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
		const res = await this.fetchAgain(() =>
			this.api.get('/api/test/db-digest', { failOnStatusCode: false })
		);
		expect(res.status(), 'the db-digest test hook (TONGXING_TEST_HOOKS=1)').toBe(200);
		return ((await res.json()) as { digest: Digest }).digest;
	}

	async signUp(name: string): Promise<void> {
		const email = `${name.toLowerCase().replace(/[^a-z0-9]/g, '')}-${unique()}@example.test`;
		const res = await this.post('/sign-up', 'signUp', {
			email,
			displayName: name,
			password: 'volunteer-day-2026'
		});
		expect(res.status, `sign-up of ${name}: ${res.text.slice(0, 200)}`).toBe(303);
	}
}

export const unique = () => Math.random().toString(36).slice(2, 10);

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
