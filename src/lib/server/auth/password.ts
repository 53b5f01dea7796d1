// Passwords are hashed with argon2id (the library's defaults follow OWASP: 19 MiB, 2 passes,
// 1 lane; about 10 ms here). The PHC string carries its own parameters, so raising them
// later keeps old hashes verifiable.
import { hash, verify } from '@node-rs/argon2';

const OPTIONS = { algorithm: 2 /* Algorithm.Argon2id; a const enum cannot be imported */ } as const;

/**
 * Verified when the email is unknown, so that a wrong email costs as much time as a wrong
 * password and the response time does not reveal which accounts exist. Same parameters as
 * `hashPassword` produces; no password matches it in practice.
 */
const DUMMY_HASH =
	'$argon2id$v=19$m=19456,t=2,p=1$4Wxhr9dCweXGRhzoV2S0aw$gb62etRC0srBTxYj05vUTAo+ZjfPm6l3j+YvlCzy8ts';

export function hashPassword(password: string): Promise<string> {
	return hash(password, OPTIONS);
}

/**
 * Checks `password` against `passwordHash`; with no hash (unknown account) it spends the
 * same work on a dummy hash and answers false.
 */
export async function verifyPassword(
	passwordHash: string | null | undefined,
	password: string
): Promise<boolean> {
	const ok = await verify(passwordHash ?? DUMMY_HASH, password).catch((err: unknown) => {
		// A malformed stored hash must not let anyone in, nor hide the fault.
		console.error('[auth] could not verify a password hash', err);
		return false;
	});
	return passwordHash ? ok : false;
}

/**
 * A hash computed at most once per returned function: factories and benchmarks create many
 * users with one password without paying argon2 for each (the caller keeps the function, so
 * no state lives in this module).
 */
export function memoizedPasswordHash(password: string): () => Promise<string> {
	let pending: Promise<string> | undefined;
	return () => (pending ??= hashPassword(password));
}
