import { createHmac, timingSafeEqual } from 'node:crypto';

// HS256 only, with node:crypto: the realtime token is the one JWT the app handles, and the
// secret is the same one hosted Supabase uses (SUPABASE_JWT_SECRET, taken as UTF-8 bytes).

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

function base64url(input: Buffer | string): string {
	return Buffer.from(input).toString('base64url');
}

function hmac(secret: string, data: string): Buffer {
	return createHmac('sha256', secret).update(data).digest();
}

function parseJson(segment: string): Record<string, unknown> | null {
	try {
		const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
		return value !== null && typeof value === 'object' && !Array.isArray(value)
			? (value as Record<string, unknown>)
			: null;
	} catch {
		return null;
	}
}

const SEGMENT = /^[A-Za-z0-9_-]+$/;

export interface VerifyOptions {
	/** Milliseconds since the epoch; tests pass a fixed clock. */
	now?: number;
}

/** Parses a compact HS256 JWT and checks its signature; claims are the caller's business. */
function decodeSigned(
	token: string,
	secret: string
): { ok: true; payload: Record<string, unknown> } | Failure {
	const parts = token.split('.');
	if (parts.length !== 3 || !parts.every((p) => SEGMENT.test(p))) {
		return fail('malformed', 'MalformedJWT', 'The token provided is not a valid JWT');
	}
	const [headerPart, payloadPart, signaturePart] = parts;
	const header = parseJson(headerPart);
	const payload = parseJson(payloadPart);
	if (!header || !payload) {
		return fail('malformed', 'MalformedJWT', 'The token provided is not a valid JWT');
	}
	// Refusing every other alg closes the 'none' and RS/HS confusion holes.
	if (header.alg !== 'HS256') {
		return fail('signature', 'JwtSignatureError', 'Failed to validate JWT signature');
	}
	const expected = hmac(secret, `${headerPart}.${payloadPart}`);
	const given = Buffer.from(signaturePart, 'base64url');
	if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
		return fail('signature', 'JwtSignatureError', 'Failed to validate JWT signature');
	}
	return { ok: true, payload };
}

/**
 * Verifies signature first, then `exp` and the lifetime, then the claims we need, in the order the reference
 * server reported them (a badly signed token never reveals whether it is also expired).
 */
export function verifyRealtimeToken(
	token: string,
	secret: string,
	options: VerifyOptions = {}
): VerifyResult {
	const decoded = decodeSigned(token, secret);
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

export function signRealtimeToken(
	userId: string,
	secret: string,
	options: SignOptions = {}
): SignedToken {
	if (userId.length === 0) throw new TypeError('userId is required');
	if (secret.length === 0) throw new TypeError('secret is required');
	const ttl = Math.min(options.ttlSeconds ?? MAX_TOKEN_TTL_SECONDS, MAX_TOKEN_TTL_SECONDS);
	if (!(ttl > 0)) throw new RangeError('ttlSeconds must be positive');
	const iat = Math.floor((options.now ?? Date.now()) / 1000);
	const exp = iat + Math.floor(ttl);
	const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
	const body = base64url(
		JSON.stringify({ sub: userId, role: 'authenticated', aud: 'authenticated', iat, exp })
	);
	const signature = base64url(hmac(secret, `${header}.${body}`));
	return { token: `${header}.${body}.${signature}`, expiresAt: exp * 1000 };
}

/**
 * Signs arbitrary claims, for tests that need expired, foreign-role or long-lived tokens.
 * Application code mints tokens with signRealtimeToken only.
 */
export function signClaimsForTest(claims: Record<string, unknown>, secret: string): string {
	const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
	const body = base64url(JSON.stringify(claims));
	return `${header}.${body}.${base64url(hmac(secret, `${header}.${body}`))}`;
}

/** Ten years, like the service_role key a Supabase project is created with. */
const SERVICE_KEY_TTL_SECONDS = 10 * 365 * 24 * 60 * 60;

/**
 * A service-role key in Supabase's shape (HS256 JWT, `role: 'service_role'`), for server-side
 * senders of REST broadcasts. Never given to a browser.
 */
export function signServiceRoleKey(secret: string, options: { now?: number } = {}): string {
	if (secret.length === 0) throw new TypeError('secret is required');
	const iat = Math.floor((options.now ?? Date.now()) / 1000);
	const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
	const body = base64url(
		JSON.stringify({
			iss: 'tongxing',
			role: 'service_role',
			iat,
			exp: iat + SERVICE_KEY_TTL_SECONDS
		})
	);
	return `${header}.${body}.${base64url(hmac(secret, `${header}.${body}`))}`;
}

/** True for a JWT signed with `secret` whose role is `service_role` and that has not expired. */
export function isServiceRoleKey(
	token: string,
	secret: string,
	options: VerifyOptions = {}
): boolean {
	const decoded = decodeSigned(token, secret);
	if (!decoded.ok) return false;
	const { role, exp } = decoded.payload;
	const nowSeconds = Math.floor((options.now ?? Date.now()) / 1000);
	return role === 'service_role' && typeof exp === 'number' && exp > nowSeconds;
}
