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

export class NotFound extends DomainError {
	override name = 'NotFound';
	readonly status = 404;
	constructor(code: ErrorCode = 'not_found') {
		super(code);
	}
}

export class Forbidden extends DomainError {
	override name = 'Forbidden';
	readonly status = 403;
	constructor(code: ErrorCode = 'forbidden') {
		super(code);
	}
}

export class Conflict extends DomainError {
	override name = 'Conflict';
	readonly status = 409;
	constructor(code: ErrorCode = 'conflict') {
		super(code);
	}
}

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
