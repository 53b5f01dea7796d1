import * as accounts from '$lib/server/accounts';
import { withRetryAfter } from '$lib/server/auth/rate-limit';
import { action, readForm } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

// The token is in the URL: keep it out of Referer headers and caches.
// Not `no-referrer`: with it browsers send `Origin: null` on the form POST, which the CSRF
// check refuses. `same-origin` still keeps the token from other sites.
const PRIVATE_HEADERS = { 'referrer-policy': 'same-origin', 'cache-control': 'no-store' };

// Opening the link only reads: link previews and prefetching must not spend it.
export const load: PageServerLoad = async ({ params, setHeaders }) => {
	setHeaders(PRIVATE_HEADERS);
	const target = await accounts.getPasswordResetTarget(params.token);
	return { target: target && { email: target.email, displayName: target.displayName } };
};

export const actions: Actions = {
	// No setHeaders here: a form POST without JavaScript runs the load too, and SvelteKit
	// refuses a header set twice (a 500). hooks.server.ts gives every /reset/ answer the same.
	reset: async (event) => {
		const data = await readForm(event);
		return action({}, () =>
			withRetryAfter(event, async () => {
				await accounts.consumePasswordReset(event.params.token, data.get('newPassword'), {
					ip: event.getClientAddress()
				});
				return { done: true as const };
			})
		);
	}
};
