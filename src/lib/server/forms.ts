// The one mapper from domain errors to HTTP, for form actions and for loads/endpoints.
import { error, fail, json, type ActionFailure } from '@sveltejs/kit';
import { DomainError, Invalid, RateLimited } from './errors';
import { domainErrorMessage, messageFor } from './messages';

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
	} catch (err) {
		if (!(err instanceof DomainError)) throw err;
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
export function rethrow(err: unknown): never {
	if (err instanceof DomainError) error(err.status, domainErrorMessage(err));
	throw err;
}

/** For JSON endpoints: a domain error becomes a JSON body with the right status. */
export function jsonError(err: unknown): Response {
	if (!(err instanceof DomainError)) throw err;
	const headers: Record<string, string> = {};
	if (err instanceof RateLimited) headers['retry-after'] = String(err.retryAfterSeconds);
	return json(
		{ error: err.code, message: domainErrorMessage(err) },
		{ status: err.status, headers }
	);
}
