// Requests as the browser sends them: the session cookie (plus the locale cookie the app sets
// on the first visit) and, for a form action with `use:enhance`, a same-origin `Origin`, the
// `x-sveltekit-action` header and the form as urlencoded fields.
import http from 'node:http';
import { parse } from 'devalue';
import { cookieName as localeCookie } from '../../src/lib/paraglide/runtime.js';

export function cookieHeader(token: string): string {
	return `session=${token}; ${localeCookie}=zh-CN`;
}

export interface ActionOutcome {
	status: number;
	/** `success`, `failure`, `redirect` or `error` (SvelteKit's ActionResult type). */
	type: string;
	/** The strings in the action's returned data (devalue's flat array), e.g. "claimed". */
	strings: string[];
	/** The action's returned data itself (devalue), as the page's `result.data`. */
	data?: unknown;
}

/**
 * One request over node:http with a keep-alive agent, the body read whole. Not `fetch`: on the
 * two cores the bench shares with the server, undici's fetch (WHATWG streams, header objects)
 * cost the client several times what node:http does, and that CPU was taken from the server
 * being measured.
 */
export function request(
	url: string,
	options: { method?: string; headers?: Record<string, string>; body?: string } = {}
): Promise<{ status: number; text: string }> {
	const headers = { ...options.headers };
	if (options.body !== undefined)
		headers['content-length'] = String(Buffer.byteLength(options.body));
	return new Promise((resolve, reject) => {
		const req = http.request(url, { method: options.method ?? 'GET', headers, agent }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (chunk: Buffer) => chunks.push(chunk));
			res.once('end', () =>
				resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') })
			);
			res.once('error', reject);
		});
		req.once('error', reject);
		req.end(options.body);
	});
}

const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });

export async function postAction(
	origin: string,
	path: string,
	token: string,
	fields: Record<string, string>
): Promise<ActionOutcome> {
	const { status, text } = await request(`${origin}${path}`, {
		method: 'POST',
		headers: {
			accept: 'application/json',
			'x-sveltekit-action': 'true',
			'content-type': 'application/x-www-form-urlencoded',
			origin,
			cookie: cookieHeader(token)
		},
		body: new URLSearchParams(fields).toString()
	});
	let body: { type?: string; data?: string };
	try {
		body = JSON.parse(text) as { type?: string; data?: string };
	} catch {
		return { status, type: 'not-json', strings: [text.slice(0, 200)] };
	}
	let strings: string[] = [];
	let data: unknown;
	if (typeof body.data === 'string') {
		const flat: unknown = JSON.parse(body.data);
		if (Array.isArray(flat)) strings = flat.filter((v): v is string => typeof v === 'string');
		data = parse(body.data);
	}
	return { status, type: body.type ?? 'unknown', strings, data };
}
