import * as accounts from '$lib/server/accounts';
import { withRetryAfter } from '$lib/server/auth/rate-limit';
import { action } from '$lib/server/forms';
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
	// No headers set here: a form posted without JavaScript renders the page, whose load sets
	// them (setting one twice throws, a 500 on every refused reset).
	reset: async (event) => {
		const data = await event.request.formData();
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
