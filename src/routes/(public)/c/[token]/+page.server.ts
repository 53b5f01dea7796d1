import * as contacts from '$lib/server/contacts';
import { retentionDays } from '$lib/server/contacts/settings';
import { action, formValues } from '$lib/server/forms';
import * as rateLimit from '$lib/server/auth/rate-limit';
import { NotFound, RateLimited } from '$lib/server/errors';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

// The token is in the URL: never send it to another site as a referrer (not `no-referrer`:
// browsers then send `Origin: null` on the form POST, which the CSRF check refuses), and never
// keep the page in a shared cache.
const HEADERS = { 'cache-control': 'no-store', 'referrer-policy': 'same-origin' };

export const load: PageServerLoad = async ({ params, request, getClientAddress, setHeaders }) => {
	setHeaders(HEADERS);
	const privacyDays = retentionDays();
	try {
		const page = await contacts.withLinkLimit(getClientAddress(), () =>
			contacts.openContactLink(params.token)
		);
		return { page, privacyDays, token: params.token };
	} catch (err) {
		if (err instanceof RateLimited) {
			// After a form POST the action has set it already (SvelteKit refuses a second set).
			if (request.method === 'GET' || request.method === 'HEAD') {
				setHeaders({ 'retry-after': String(err.retryAfterSeconds) });
			}
			const page = { status: 'limited' as const, seconds: err.retryAfterSeconds };
			return { page, privacyDays, token: params.token };
		}
		if (err instanceof NotFound) {
			return { page: { status: 'unknown' as const }, privacyDays, token: params.token };
		}
		throw err;
	}
};

/** Answers run through the same limiter: a guessed token never reaches the commands twice. */
async function answer<T>(
	event: RequestEvent,
	fn: (token: string, values: Record<string, string>) => Promise<T>
) {
	const values = formValues(await event.request.formData());
	return action(values, () =>
		rateLimit.withRetryAfter(event, () =>
			contacts.withLinkLimit(event.getClientAddress(), () => fn(event.params.token, values))
		)
	);
}

export const actions: Actions = {
	confirm: (event) =>
		answer(event, async (token) => {
			await contacts.confirmAsContact(token);
			return { done: 'confirmed' as const };
		}),
	propose: (event) =>
		answer(event, async (token, values) => {
			await contacts.proposeAsContact(token, values);
			return { done: 'proposed' as const };
		})
};
