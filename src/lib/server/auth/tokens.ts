// Secrets handed to people (session cookies, invite, reset and contact links) are random
// tokens; the database keeps only their SHA-256, so a leaked table opens nothing.
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { sha256 } from '@oslojs/crypto/sha2';

/** 20 bytes = 160 random bits by default (at least 128 everywhere). */
export function generateToken(bytes = 20): string {
	if (bytes < 16) throw new Error('tokens carry at least 128 random bits');
	const random = new Uint8Array(bytes);
	crypto.getRandomValues(random);
	return encodeBase32LowerCaseNoPadding(random);
}

export function hashToken(token: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

/** Tokens we issue are lower-case base32; anything else is refused before touching the db. */
export function isWellFormedToken(token: string): boolean {
	return /^[a-z2-7]{26,64}$/.test(token);
}
