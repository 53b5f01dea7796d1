import { redirect, type Cookies } from '@sveltejs/kit';
import * as contacts from '$lib/server/contacts';
import { retentionDays } from '$lib/server/contacts/settings';
import { action, formValues, readForm } from '$lib/server/forms';
import * as rateLimit from '$lib/server/auth/rate-limit';
import { NotFound, RateLimited } from '$lib/server/errors';
import { linkGone } from '$lib/server/dead-link';
import * as m from '$lib/paraglide/messages';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

// Server-rendered only, no JavaScript: the contact (often an older adult on a phone with a poor
// connection) gets the whole page in one HTML response instead of 50 KB of scripts. Nothing is
// lost: the page has no live updates, dialogs or copy buttons, its two forms are plain POSTs
// with server-rendered answers (a refused one shows again with what was typed), and the
// browser's own progress bar shows a slow answer being sent.
export const csr = false;

// The token is in the URL: never send it to another site as a referrer (not `no-referrer`:
// browsers then send `Origin: null` on the form POST, which the CSRF check refuses), and never
// keep the page in a shared cache.
const HEADERS = { 'cache-control': 'no-store', 'referrer-policy': 'same-origin' };

/** A one-time note, for the page after an answer: "sent" is said once, not on every reload. */
const ANSWERED = 'contact_answered';
const ANSWERS = ['confirmed', 'proposed', 'withdrawn'] as const;
type Answered = (typeof ANSWERS)[number];

function takeAnswered(cookies: Cookies, path: string): Answered | null {
	const value = cookies.get(ANSWERED);
	if (value === undefined) return null;
	cookies.delete(ANSWERED, { path });
	return ANSWERS.find((a) => a === value) ?? null;
}

export const load: PageServerLoad = async (event) => {
	const { params, request, getClientAddress, setHeaders } = event;
	setHeaders(HEADERS);
	const base = {
		privacyDays: retentionDays(),
		token: params.token,
		answered: takeAnswered(event.cookies, event.url.pathname)
	};
	try {
		const page = await contacts.withLinkLimit(getClientAddress(), () =>
			contacts.openContactLink(params.token)
		);
		if (page.status !== 'valid') {
			const message =
				page.status === 'revoked'
					? m.contact_public_link_revoked()
					: m.contact_public_link_expired();
			return linkGone('gone', message);
		}
		return { page, ...base };
	} catch (err) {
		if (err instanceof RateLimited) {
			// After a form POST the action has set it already (SvelteKit refuses a second set).
			if (request.method === 'GET' || request.method === 'HEAD') {
				setHeaders({ 'retry-after': String(err.retryAfterSeconds) });
			}
			return { page: { status: 'limited' as const, seconds: err.retryAfterSeconds }, ...base };
		}
		if (err instanceof NotFound) return linkGone('unknown', m.contact_public_link_unknown());
		throw err;
	}
};

/**
 * Answers run through the same limiter: a guessed token never reaches the commands twice. A
 * taken answer redirects (post/redirect/get): reloading the page then never asks to send the
 * form again, and the browser lands back on the answer section.
 */
async function answer(
	event: RequestEvent,
	answered: Answered,
	fn: (token: string, values: Record<string, string>) => Promise<unknown>
) {
	const values = formValues(await readForm(event));
	const failure = await action(values, async () => {
		await rateLimit.withRetryAfter(event, () =>
			contacts.withLinkLimit(event.getClientAddress(), () => fn(event.params.token, values))
		);
		return null;
	});
	if (failure) return failure;
	event.cookies.set(ANSWERED, answered, {
		path: event.url.pathname,
		maxAge: 60,
		httpOnly: true,
		sameSite: 'lax',
		secure: event.url.protocol === 'https:'
	});
	redirect(303, `${event.url.pathname}#answer`);
}

export const actions: Actions = {
	confirm: (event) => answer(event, 'confirmed', (token) => contacts.confirmAsContact(token)),
	propose: (event) =>
		answer(event, 'proposed', (token, values) => contacts.proposeAsContact(token, values)),
	withdraw: (event) =>
		answer(event, 'withdrawn', (token) => contacts.withdrawProposalAsContact(token))
};
