import type { HandleServerError } from '@sveltejs/kit';
import { getLocale } from '$lib/paraglide/runtime';
import * as m from '$lib/paraglide/messages';

// Links carry secrets in their path (/c/<token>, /invite/<token>, ...): logs must never hold
// them, so every token-shaped path segment is masked before anything is written.
const TOKEN_SEGMENT = /(?<=\/)[a-z2-7]{26,64}(?![A-Za-z0-9_-])/g;
const redactTokens = (text: string) => text.replace(TOKEN_SEGMENT, '[token]');
function redactError(error: unknown, depth = 0): string {
	if (!(error instanceof Error)) return redactTokens(String(error));
	const text = redactTokens(error.stack ?? `${error.name}: ${error.message}`);
	return error.cause !== undefined && depth < 3
		? `${text}\nCaused by: ${redactError(error.cause, depth + 1)}`
		: text;
}

export const handleError: HandleServerError = ({ error, event, status, message }) => {
	const id = event.locals.requestId ?? crypto.randomUUID();
	if (status === 404) return { message: m.error_not_found(), id };
	if (status < 500) return { message, id };
	console.error(
		`[${id}] ${event.request.method} ${redactTokens(event.url.pathname)}`,
		redactError(error)
	);
	let text: string;
	try {
		text = m.error_unexpected({}, { locale: event.locals.locale ?? getLocale() });
	} catch (err) {
		console.error(`[${id}] could not localise the error message`, err);
		text = 'Something went wrong.';
	}
	return { message: text, id };
};
