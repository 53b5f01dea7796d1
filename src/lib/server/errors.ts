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

/**
 * The database could not do it now (unreachable, shutting down, out of connections, or it gave
 * up on a lock or a serialisation conflict): nothing was changed and trying again may work. A
 * 503, which the phone's outbox retries by itself.
 */
export class Unavailable extends plainError('Unavailable', 503, 'unavailable') {}

export function isDomainError(err: unknown): err is DomainError {
	return err instanceof DomainError;
}

/** The first `code` on an error or its causes (Drizzle's `DrizzleQueryError` wraps the driver's). */
function codeOf(err: unknown, accept: (code: string) => boolean): string | undefined {
	let current: unknown = err;
	for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
		const code = (current as { code?: unknown }).code;
		if (typeof code === 'string' && accept(code)) return code;
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}

/** The PostgreSQL error code (SQLSTATE) of a driver error. */
export function pgErrorCode(err: unknown): string | undefined {
	return codeOf(err, (code) => /^[0-9A-Z]{5}$/.test(code));
}

// postgres.js's own codes for a connection that failed or was lost (not SQLSTATEs), and Node's.
const CONNECTION_FAILURES = new Set([
	'CONNECTION_CLOSED',
	'CONNECTION_ENDED',
	'CONNECTION_DESTROYED',
	'CONNECT_TIMEOUT',
	'ECONNREFUSED',
	'ECONNRESET',
	'EPIPE',
	'ETIMEDOUT'
]);

const driverCode = (err: unknown) => codeOf(err, (code) => CONNECTION_FAILURES.has(code));

/**
 * What a database error that no domain module expected means for the user, as a domain error
 * (so the form shows it in the user's language, with what they typed, and nothing changed: the
 * transaction rolled back), or undefined for an error that is a bug (it stays a 500, logged).
 * - the database unreachable, shutting down or out of resources, a statement timeout, a
 *   deadlock, a serialisation failure, a lock not available: `Unavailable` (503, try again);
 * - a unique or foreign-key violation (someone else's change in between): `Conflict` (409);
 * - a value the database refuses (data exception, a check or not-null constraint): `Invalid`
 *   (400). The schemas should have refused it first, so these are logged as a warning.
 */
export function fromDatabaseError(err: unknown): DomainError | undefined {
	if (err instanceof DomainError) return err;
	const code = pgErrorCode(err);
	if (code === undefined) {
		const lost = driverCode(err);
		if (!lost) return undefined;
		// Answered, not thrown: no 500 reaches the log, so the outage is logged here.
		console.error('database unreachable', { code: lost });
		return new Unavailable();
	}
	if (code === '40001' || code === '40P01' || code === '55P03') {
		console.warn('database gave up on a lock or a serialisation conflict', { code });
		return new Unavailable('busy');
	}
	if (
		code.startsWith('08') ||
		code.startsWith('53') ||
		code === '57014' ||
		code === '57P01' ||
		code === '57P02' ||
		code === '57P03'
	) {
		console.error('database unavailable', { code });
		return new Unavailable();
	}
	if (code === '23505' || code === '23503') return new Conflict();
	if (code.startsWith('22') || code === '23502' || code === '23514') {
		// Names only (the constraint, the column): the message may quote what was typed.
		const { constraint_name, column_name, table_name } = err as Record<string, unknown>;
		console.warn('database refused a value the schemas let through', {
			code,
			table: table_name,
			column: column_name,
			constraint: constraint_name
		});
		return new Invalid();
	}
	return undefined;
}
