// Reading a form body (once, refusing what no text field may hold) and the one mapper from
// domain errors to HTTP, for form actions and for loads/endpoints.
import { error, fail, json, type ActionFailure } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import { fromDatabaseError, Invalid, RateLimited } from './errors';
import { domainErrorMessage, messageFor } from './messages';

/**
 * Fields that may hold line breaks: the names the app renders as `<textarea>` (a unit test
 * keeps this list equal to the textareas of the pages). Any other field is one line.
 */
export const MULTILINE_FIELDS: ReadonlySet<string> = new Set([
	'body',
	'description',
	'needsNote',
	'note',
	'notes',
	'resolution'
]);

/** C0 control characters but tab, line feed and carriage return: never in any field. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/;
const LINE_BREAK = /[\r\n]/;

/** Why a form body is refused, or null: NUL and other C0 controls; line breaks in a one-line field. */
export function formProblem(data: FormData): 'control' | null {
	for (const [name, value] of data) {
		if (CONTROL.test(name) || LINE_BREAK.test(name)) return 'control';
		if (typeof value !== 'string') continue;
		if (CONTROL.test(value)) return 'control';
		if (!MULTILINE_FIELDS.has(name) && LINE_BREAK.test(value)) return 'control';
	}
	return null;
}

const bodies = new WeakMap<Request, Promise<FormData>>();

async function parseForm(request: Request): Promise<FormData> {
	// A text/plain or broken multipart body passes SvelteKit's checks and fails here.
	const data = await request.formData().catch(() => null);
	if (!data) error(400, m.security_form_unreadable());
	// PostgreSQL refuses NUL in text (a 500 where it reached a query); nothing is written.
	if (formProblem(data)) error(400, m.security_form_control_chars());
	return data;
}

/**
 * The body of a form action, parsed once per request (a second call gets the same answer).
 * An unreadable body or one with control characters is a 400 in the user's language.
 */
export function readForm(event: { request: Request }): Promise<FormData> {
	let body = bodies.get(event.request);
	if (!body) {
		body = parseForm(event.request);
		bodies.set(event.request, body);
	}
	return body;
}

export interface FormFailure {
	message: string;
	fields: Record<string, string[]>;
	values: Record<string, string>;
}

/** What the user typed, minus secrets, so a failed form can be shown again. */
export function formValues(data: FormData, omit: string[] = ['password']): Record<string, string> {
	const values: Record<string, string> = {};
	for (const [key, value] of data) {
		if (typeof value === 'string' && !omit.some((o) => key.toLowerCase().includes(o))) {
			values[key] = value;
		}
	}
	return values;
}

/** Runs a domain call from a form action; a domain error becomes `fail(...)` with the input. */
export async function action<T>(
	values: Record<string, string>,
	fn: () => Promise<T>
): Promise<T | ActionFailure<FormFailure>> {
	try {
		return await fn();
	} catch (caught) {
		const err = fromDatabaseError(caught);
		if (!err) throw caught;
		const fields: Record<string, string[]> = {};
		if (err instanceof Invalid) {
			for (const [name, codes] of Object.entries(err.fields)) {
				fields[name] = codes.map((code) => messageFor(code));
			}
		}
		return fail(err.status, { message: domainErrorMessage(err), fields, values });
	}
}

/** In a load or endpoint: a domain error becomes `error(status, message)`. */
export function rethrow(caught: unknown): never {
	const err = fromDatabaseError(caught);
	if (err) error(err.status, domainErrorMessage(err));
	throw caught;
}

/** For JSON endpoints: a domain error becomes a JSON body with the right status. */
export function jsonError(caught: unknown): Response {
	const err = fromDatabaseError(caught);
	if (!err) throw caught;
	const headers: Record<string, string> = {};
	if (err instanceof RateLimited) headers['retry-after'] = String(err.retryAfterSeconds);
	return json(
		{ error: err.code, message: domainErrorMessage(err) },
		{ status: err.status, headers }
	);
}
