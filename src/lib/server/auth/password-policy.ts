// What a new password must be (NIST SP 800-63B, 3.1.1.2): 8 to 256 characters (the schema),
// not one found in a list of common or breached passwords, and not the account's own email or
// name. zxcvbn-ts matches the password against its common-password and word lists (with l33t
// and reversed variants, keyboard rows, repeats and sequences) offline; a password it can
// guess in under a million tries is refused. The check runs only here, on the server: the
// dictionary (about 1.9 MB) never reaches the browser. Existing passwords are never re-judged.
import type { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { Invalid } from '../errors';

/** zxcvbn's score 2: at least 10^6 guesses ("somewhat guessable"), the least it accepts. */
const MIN_SCORE = 2;
/** Words of this service that a password must not be built on either. */
const SERVICE_WORDS = ['tongxing', '同行'];

// Built on first use (about 0.1 s) and kept for the process: the dictionaries never change.
let checker: Promise<ZxcvbnFactory> | undefined;

function loadChecker(): Promise<ZxcvbnFactory> {
	checker ??= Promise.all([import('@zxcvbn-ts/core'), import('@zxcvbn-ts/language-common')]).then(
		([{ ZxcvbnFactory }, common]) =>
			new ZxcvbnFactory({ dictionary: { ...common.dictionary }, graphs: common.adjacencyGraphs })
	);
	return checker;
}

const normalise = (text: string) => text.normalize('NFKC').toLowerCase().replace(/\s+/g, '');

export interface PasswordOwner {
	email: string;
	displayName: string;
}

/** The message key for why `password` may not be chosen by `owner`, or null when it may. */
export async function passwordProblem(
	password: string,
	owner: PasswordOwner
): Promise<'auth_password_personal' | 'auth_password_common' | null> {
	const localPart = owner.email.split('@', 1)[0];
	const personal = [owner.email, localPart, owner.displayName].map(normalise);
	if (personal.includes(normalise(password))) return 'auth_password_personal';
	const result = (await loadChecker()).check(password, [
		owner.email,
		localPart,
		owner.displayName,
		...SERVICE_WORDS
	]);
	if (result.score >= MIN_SCORE) return null;
	const isBuiltOnUser = result.sequence.some(
		(match) => match.pattern === 'dictionary' && match.dictionaryName === 'userInputs'
	);
	return isBuiltOnUser ? 'auth_password_personal' : 'auth_password_common';
}

/** Throws `Invalid` on `field` when the password may not be chosen. */
export async function requireAcceptablePassword(
	password: string,
	owner: PasswordOwner,
	field: string
): Promise<void> {
	const problem = await passwordProblem(password, owner);
	if (problem) throw new Invalid('invalid', { [field]: [problem] });
}
