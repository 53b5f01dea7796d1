// Requests as the browser sends them: the session cookie (plus the locale cookie the app sets
// on the first visit) and, for a form action with `use:enhance`, a same-origin `Origin`, the
// `x-sveltekit-action` header and the form as urlencoded fields.
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
}

export async function postAction(
	origin: string,
	path: string,
	token: string,
	fields: Record<string, string>
): Promise<ActionOutcome> {
	const res = await fetch(`${origin}${path}`, {
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
	const text = await res.text();
	let body: { type?: string; data?: string };
	try {
		body = JSON.parse(text) as { type?: string; data?: string };
	} catch {
		return { status: res.status, type: 'not-json', strings: [text.slice(0, 200)] };
	}
	let strings: string[] = [];
	if (typeof body.data === 'string') {
		const flat: unknown = JSON.parse(body.data);
		if (Array.isArray(flat)) strings = flat.filter((v): v is string => typeof v === 'string');
	}
	return { status: res.status, type: body.type ?? 'unknown', strings };
}
