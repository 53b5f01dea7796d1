// The SQLSTATEs the claim functions raise (supabase/migrations/*_claim_functions.sql), as the
// domain errors the TypeScript commands threw: the message is the catalogue's code.
import {
	Conflict,
	Forbidden,
	Invalid,
	NotFound,
	type DomainError,
	type ErrorCode
} from '../errors';
import { isErrorCode } from '../messages';

const BY_STATE: Record<string, (code: ErrorCode) => DomainError> = {
	TX400: (code) => new Invalid(code),
	TX403: (code) => new Forbidden(code),
	TX404: (code) => new NotFound(code),
	TX409: (code) => new Conflict(code)
};

/** Drizzle wraps the driver's error (postgres.js or PGlite): the Postgres one is its cause. */
function postgresError(error: unknown): { code?: unknown; message?: unknown } | undefined {
	for (let e: unknown = error; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
		const code = (e as { code?: unknown }).code;
		if (typeof code === 'string' && code in BY_STATE) return e as { code: string };
	}
	return undefined;
}

/** The domain error of a raised TX… state, or the error itself (a bug, not a user error). */
export function domainErrorOf(error: unknown): unknown {
	const found = postgresError(error);
	if (typeof found?.message !== 'string' || !isErrorCode(found.message)) return error;
	return BY_STATE[found.code as string](found.message);
}
