import { createSecretKey, type KeyObject } from 'node:crypto';
import { compactVerify, errors, SignJWT, type JWTPayload } from 'jose';

// HS256 only, on jose: the realtime token is the one JWT the app handles, and the secret is the
// same one hosted Supabase uses (SUPABASE_JWT_SECRET, taken as UTF-8 bytes). jose checks the
// compact form, the algorithm and the signature; the claims are checked here, in the order and
// the words of Supabase Realtime.

/** Longest lifetime we mint, per ARCHITECTURE.md ("Realtime tokens"). */
export const MAX_TOKEN_TTL_SECONDS = 600;
/** Clocks of instances may differ a little: a fresh token may look this much longer-lived. */
const CLOCK_SKEW_SECONDS = 60;

/**
 * The refusal of a private join that carries no `access_token` at all. supabase-js 2.109 sends
 * that when `subscribe()` runs before its `accessToken` callback has resolved (the join frame is
 * built at once and sent as it was when the socket opens); its own rejoin a second later carries
 * the token. The reason says how to avoid the error (README, "Realtime clients").
 */
export const MISSING_TOKEN_REASON =
	'Unauthorized: The join carried no access_token; with supabase-js, await client.realtime.setAuth() before the first subscribe()';

export interface RealtimeClaims {
	sub: string;
	role: string;
	aud: string | string[];
	exp: number;
	iat?: number;
	[claim: string]: unknown;
}

export type JwtErrorCode = 'malformed' | 'signature' | 'expired' | 'claims';

export type VerifyResult =
	| { ok: true; claims: RealtimeClaims }
	| {
			ok: false;
			code: JwtErrorCode;
			/** Phoenix join refusal text, `<ErrorName>: <message>`, as Supabase Realtime words it. */
			reason: string;
			/** The message alone, as Supabase puts it into a `system` event. */
			message: string;
	  };

type Failure = Extract<VerifyResult, { ok: false }>;

function fail(code: JwtErrorCode, name: string, message: string): Failure {
	return { ok: false, code, reason: `${name}: ${message}`, message };
}

const malformed = () => fail('malformed', 'MalformedJWT', 'The token provided is not a valid JWT');
const badSignature = () =>
	fail('signature', 'JwtSignatureError', 'Failed to validate JWT signature');

// One key object per secret (there is one, two while a test rotates it): jose keeps the
// imported CryptoKey of a key object, so a join does not import the secret again.
const keys = new Map<string, KeyObject>();
function keyOf(secret: string): KeyObject {
	let key = keys.get(secret);
	if (!key) {
		key = createSecretKey(secret, 'utf8');
		keys.set(secret, key);
	}
	return key;
}

export interface VerifyOptions {
	/** Milliseconds since the epoch; tests pass a fixed clock. */
	now?: number;
}

/** Checks a compact HS256 JWT's form and signature; the claims are the caller's business. */
async function decodeSigned(
	token: string,
	secret: string
): Promise<{ ok: true; payload: Record<string, unknown> } | Failure> {
	let bytes: Uint8Array;
	try {
		// Refusing every other alg closes the 'none' and RS/HS confusion holes.
		({ payload: bytes } = await compactVerify(token, keyOf(secret), { algorithms: ['HS256'] }));
	} catch (err) {
		if (err instanceof errors.JOSEAlgNotAllowed) return badSignature();
		if (err instanceof errors.JWSSignatureVerificationFailed) return badSignature();
		// A header without a usable alg is no HS256 token: refused like a foreign algorithm.
		if (err instanceof errors.JWSInvalid && /"alg"/.test(err.message)) return badSignature();
		if (err instanceof errors.JOSEError) return malformed();
		throw err;
	}
	try {
		const value: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
		return value !== null && typeof value === 'object' && !Array.isArray(value)
			? { ok: true, payload: value as Record<string, unknown> }
			: malformed();
	} catch {
		return malformed();
	}
}

/**
 * Verifies signature first, then `exp` and the lifetime, then the claims we need, in the order the reference
 * server reported them (a badly signed token never reveals whether it is also expired).
 */
export async function verifyRealtimeToken(
	token: string,
	secret: string,
	options: VerifyOptions = {}
): Promise<VerifyResult> {
	const decoded = await decodeSigned(token, secret);
	if (!decoded.ok) return decoded;
	const { payload } = decoded;
	const nowSeconds = Math.floor((options.now ?? Date.now()) / 1000);
	const { exp, sub, role, aud, nbf } = payload;
	if (typeof exp !== 'number' || !Number.isFinite(exp)) {
		return fail('claims', 'InvalidJWTToken', 'Fields `role` and `exp` are required in JWT');
	}
	if (exp <= nowSeconds) {
		return fail('expired', 'InvalidJWTToken', `Token has expired ${nowSeconds - exp} seconds ago`);
	}
	// A token living longer than we ever mint was not minted by us for this purpose (or leaked
	// from somewhere that mints long ones): refused, however well signed. Measured from `iat`,
	// and from now for what remains, so a missing or future `iat` cannot stretch it.
	const { iat } = payload;
	const isTooLong =
		(typeof iat === 'number' && exp - iat > MAX_TOKEN_TTL_SECONDS) ||
		exp - nowSeconds > MAX_TOKEN_TTL_SECONDS + CLOCK_SKEW_SECONDS;
	if (isTooLong) {
		return fail(
			'claims',
			'InvalidJWTToken',
			`Token lifetime exceeds the maximum of ${MAX_TOKEN_TTL_SECONDS} seconds`
		);
	}
	if (typeof nbf === 'number' && nbf > nowSeconds) {
		return fail('claims', 'InvalidJWTToken', 'Token is not valid yet');
	}
	if (role !== 'authenticated') {
		return fail('claims', 'InvalidJWTToken', "The token's role must be 'authenticated'");
	}
	const audOk =
		aud === 'authenticated' || (Array.isArray(aud) && aud.some((a) => a === 'authenticated'));
	if (!audOk) {
		return fail('claims', 'InvalidJWTToken', "The token's audience must be 'authenticated'");
	}
	if (typeof sub !== 'string' || sub.length === 0) {
		return fail('claims', 'InvalidJWTToken', 'The token has no subject');
	}
	return { ok: true, claims: payload as RealtimeClaims };
}

/** Signs claims exactly as given (no defaults added), with the header Supabase's tokens carry. */
function sign(claims: JWTPayload, secret: string): Promise<string> {
	return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(keyOf(secret));
}

export interface SignOptions {
	/** Lifetime in seconds, capped at MAX_TOKEN_TTL_SECONDS. */
	ttlSeconds?: number;
	/** Milliseconds since the epoch. */
	now?: number;
}

export interface SignedToken {
	token: string;
	/** Milliseconds since the epoch. */
	expiresAt: number;
}

export async function signRealtimeToken(
	userId: string,
	secret: string,
	options: SignOptions = {}
): Promise<SignedToken> {
	if (userId.length === 0) throw new TypeError('userId is required');
	if (secret.length === 0) throw new TypeError('secret is required');
	const ttl = Math.min(options.ttlSeconds ?? MAX_TOKEN_TTL_SECONDS, MAX_TOKEN_TTL_SECONDS);
	if (!(ttl > 0)) throw new RangeError('ttlSeconds must be positive');
	const iat = Math.floor((options.now ?? Date.now()) / 1000);
	const exp = iat + Math.floor(ttl);
	const claims = { sub: userId, role: 'authenticated', aud: 'authenticated', iat, exp };
	return { token: await sign(claims, secret), expiresAt: exp * 1000 };
}

/**
 * Signs arbitrary claims, for tests that need expired, foreign-role or long-lived tokens.
 * Application code mints tokens with signRealtimeToken only.
 */
export function signClaimsForTest(
	claims: Record<string, unknown>,
	secret: string
): Promise<string> {
	return sign(claims, secret);
}

/** Ten years, like the service_role key a Supabase project is created with. */
const SERVICE_KEY_TTL_SECONDS = 10 * 365 * 24 * 60 * 60;

/**
 * A service-role key in Supabase's shape (HS256 JWT, `role: 'service_role'`), for server-side
 * senders of REST broadcasts. Never given to a browser.
 */
export async function signServiceRoleKey(
	secret: string,
	options: { now?: number } = {}
): Promise<string> {
	if (secret.length === 0) throw new TypeError('secret is required');
	const iat = Math.floor((options.now ?? Date.now()) / 1000);
	return sign(
		{ iss: 'tongxing', role: 'service_role', iat, exp: iat + SERVICE_KEY_TTL_SECONDS },
		secret
	);
}

/** True for a JWT signed with `secret` whose role is `service_role` and that has not expired. */
export async function isServiceRoleKey(
	token: string,
	secret: string,
	options: VerifyOptions = {}
): Promise<boolean> {
	const decoded = await decodeSigned(token, secret);
	if (!decoded.ok) return false;
	const { role, exp } = decoded.payload;
	const nowSeconds = Math.floor((options.now ?? Date.now()) / 1000);
	return role === 'service_role' && typeof exp === 'number' && exp > nowSeconds;
}
