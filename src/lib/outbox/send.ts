// How an outbox item is sent: as `use:enhance` would post its form (same-origin, the
// `x-sveltekit-action` header, answered with an ActionResult), with its key and its wait.
import type { OutboxItem, SendOutcome } from './outbox';

/** The parts of an ActionResult that decide an item's fate. */
export interface ActionAnswer {
	type: 'success' | 'failure' | 'redirect' | 'error';
	status?: number;
	location?: string;
	data?: unknown;
	error?: unknown;
}

/** The answer the service worker gives a form post that found no network (service-worker.ts). */
export function isOfflineAnswer(answer: ActionAnswer): boolean {
	return (
		answer.type === 'failure' &&
		typeof answer.data === 'object' &&
		answer.data !== null &&
		(answer.data as { offline?: unknown }).offline === true
	);
}

/**
 * A form post that never reached the app: the fetch itself failed (SvelteKit's enhance then
 * makes an `error` result without a status) or the service worker said so.
 */
export function isNetworkFailure(answer: ActionAnswer): boolean {
	return (answer.type === 'error' && answer.status === undefined) || isOfflineAnswer(answer);
}

function messageOf(value: unknown): string | null {
	if (typeof value === 'object' && value !== null && 'message' in value) {
		const message = (value as { message: unknown }).message;
		if (typeof message === 'string' && message) return message;
	}
	return null;
}

/**
 * What an answer means for the item. Accepted: success, or a redirect anywhere but sign-in.
 * Try again later: no network, the session gone (sign-in redirect), a rate limit (429) or the
 * server failing (5xx). Refused: any other failure or error, with the server's own message
 * (already in the user's language), else `fallback`.
 */
export function outcomeOf(answer: ActionAnswer, fallback: string): SendOutcome {
	if (isNetworkFailure(answer)) return { type: 'retry', why: 'offline' };
	if (answer.type === 'success') return { type: 'sent' };
	if (answer.type === 'redirect') {
		return /^\/sign-in(?:[/?#]|$)/.test(answer.location ?? '')
			? { type: 'retry', why: 'signed-out' }
			: { type: 'sent' };
	}
	const status = answer.status ?? 500;
	if (status === 429 || status >= 500) return { type: 'retry', why: 'busy' };
	return {
		type: 'refused',
		reason: messageOf(answer.data) ?? messageOf(answer.error) ?? fallback
	};
}

/** The body an item is sent with: its fields, its key, and how long it waited on the phone. */
export function bodyOf(item: OutboxItem, waitedMs: number): FormData {
	const body = new FormData();
	for (const [name, value] of Object.entries(item.fields ?? {})) body.set(name, value);
	body.set('outboxKey', item.key);
	body.set('waitedMs', String(Math.round(waitedMs)));
	return body;
}
