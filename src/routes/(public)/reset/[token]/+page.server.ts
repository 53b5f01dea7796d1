import * as accounts from '$lib/server/accounts';
import { withRetryAfter } from '$lib/server/auth/rate-limit';
import { action, readForm } from '$lib/server/forms';
import { linkGone } from '$lib/server/dead-link';
import * as m from '$lib/paraglide/messages';
import type { Actions, PageServerLoad } from './$types';

// The token is in the URL: keep it out of Referer headers and caches.
// Not `no-referrer`: with it browsers send `Origin: null` on the form POST, which the CSRF
// check refuses. `same-origin` still keeps the token from other sites.
const PRIVATE_HEADERS = { 'referrer-policy': 'same-origin', 'cache-control': 'no-store' };

// Opening the link only reads: link previews and prefetching must not spend it.
// A dead link answers 404 (unknown) or 410 (used or expired). Not after a form POST: the
// action's own answer is shown then (a reset just done has used the link).
export const load: PageServerLoad = async ({ params, setHeaders, request }) => {
	setHeaders(PRIVATE_HEADERS);
	const link = await accounts.openPasswordReset(params.token);
	if (link.status === 'valid') {
		const { email, displayName } = link.target;
		return { target: { email, displayName } };
	}
	if (request.method !== 'POST') {
		linkGone(link.status === 'unknown' ? 'unknown' : 'gone', m.reset_link_invalid());
	}
	return { target: null };
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
