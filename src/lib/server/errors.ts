// Typed domain errors. Domain modules throw these; `forms.ts` maps them to HTTP in one place.
// `code` names a message of the catalogue so the route can show it in the user's language.
import type { ErrorCode } from '$lib/message-keys';

export type { ErrorCode };

export type FieldErrors = Record<string, ErrorCode[]>;

export abstract class DomainError extends Error {
	abstract readonly status: number;
	constructor(
		readonly code: ErrorCode,
		message?: string
	) {
		super(message ?? code);
	}
}

/** The errors that carry only a message: their name, HTTP status and the usual message. */
function plainError<S extends number>(name: string, status: S, usual: ErrorCode) {
	return class extends DomainError {
		override name = name;
		readonly status = status;
		constructor(code: ErrorCode = usual) {
			super(code);
		}
	};
}

export class NotFound extends plainError('NotFound', 404, 'not_found') {}
export class Forbidden extends plainError('Forbidden', 403, 'forbidden') {}
export class Conflict extends plainError('Conflict', 409, 'conflict') {}

export class Invalid extends DomainError {
	override name = 'Invalid';
	readonly status = 400;
	constructor(
		code: ErrorCode = 'invalid',
		readonly fields: FieldErrors = {}
	) {
		super(code);
	}
}

export class RateLimited extends DomainError {
	override name = 'RateLimited';
	readonly status = 429;
	constructor(
		readonly retryAfterSeconds: number,
		code: ErrorCode = 'rate_limited'
	) {
		super(code);
	}
}

export function isDomainError(err: unknown): err is DomainError {
	return err instanceof DomainError;
}

/** The PostgreSQL error code of a driver error, unwrapping Drizzle's `DrizzleQueryError`. */
export function pgErrorCode(err: unknown): string | undefined {
	let current: unknown = err;
	for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
		const code = (current as { code?: unknown }).code;
		if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}
