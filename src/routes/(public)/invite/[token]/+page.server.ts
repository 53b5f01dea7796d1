import { error, redirect } from '@sveltejs/kit';
import * as teams from '$lib/server/teams';
import { action, rethrow } from '$lib/server/forms';
import * as rateLimit from '$lib/server/auth/rate-limit';
import { DomainError } from '$lib/server/errors';
import { linkGone } from '$lib/server/dead-link';
import * as m from '$lib/paraglide/messages';
import type { Actions, PageServerLoad } from './$types';

const INVITE_GONE = {
	expired: m.invite_state_expired,
	revoked: m.invite_state_revoked,
	used_up: m.invite_state_used_up
};

// Opening the link only shows it (link previews and preloading follow links); joining is a POST.
export const load: PageServerLoad = async ({ params, locals, setHeaders }) => {
	// The token is in the URL: never send it to another site as a referrer. (Not `no-referrer`:
	// with it browsers send `Origin: null` on the form POST, which the CSRF check refuses.)
	setHeaders({ 'cache-control': 'no-store', 'referrer-policy': 'same-origin' });
	const actor = locals.user ? { userId: locals.user.id } : null;
	const invite = await teams.previewInvite(params.token, actor).catch(rethrow);
	// A member still gets the way to their team; anyone else learns the link is dead, with 410.
	if (invite.state !== 'valid' && !invite.isMember) linkGone('gone', INVITE_GONE[invite.state]());
	// The header's sign-in and sign-up links come back here and join (`completeIntent`).
	const returnTo = locals.user ? null : `/invite/${params.token}`;
	return { invite, token: params.token, isSignedIn: Boolean(locals.user), returnTo };
};

export const actions: Actions = {
	join: async (event) => {
		const { params, locals, url, getClientAddress } = event;
		if (!locals.user) {
			redirect(303, `/sign-in?redirectTo=${encodeURIComponent(url.pathname)}`);
		}
		const actor = { userId: locals.user.id };
		const ip = getClientAddress();
		const result = await action({}, () =>
			rateLimit.withRetryAfter(event, async () => {
				// Only failures count: a whole class may join from one campus address at once.
				if (await rateLimit.isLimited('inviteCode', ip)) {
					await rateLimit.consume('inviteCode', ip);
				}
				return teams.acceptInvite(actor, params.token).catch(async (err: unknown) => {
					if (err instanceof DomainError) await rateLimit.hit('inviteCode', ip);
					throw err;
				});
			})
		);
		if ('teamId' in result) redirect(303, `/teams/${result.teamId}`);
		// Refused guessing: without JavaScript the page's load would answer 404 for the unknown
		// token and hide the 429 (its Retry-After is set already).
		if (result.status === 429) error(429, result.data.message);
		return result;
	}
};
