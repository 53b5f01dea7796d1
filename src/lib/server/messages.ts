// Looks up the message for a domain error's code in the user's language.
import * as m from '$lib/paraglide/messages';
import { DomainError, RateLimited, type ErrorCode } from './errors';

type MessageFn = (inputs?: Record<string, unknown>) => string;
const catalogue = m as unknown as Record<string, MessageFn | undefined>;

/** Whether text from outside TypeScript's sight (a schema's issue, SQL) names a message. */
export function isErrorCode(text: string): text is ErrorCode {
	return typeof (catalogue[text] ?? catalogue[`error_${text}`]) === 'function';
}

export function messageFor(code: ErrorCode, inputs: Record<string, unknown> = {}): string {
	const fn = catalogue[code] ?? catalogue[`error_${code}`];
	return fn ? fn(inputs) : m.error_invalid();
}

export function domainErrorMessage(err: DomainError): string {
	if (err instanceof RateLimited) {
		return m.error_rate_limited({ seconds: err.retryAfterSeconds });
	}
	return messageFor(err.code);
}
