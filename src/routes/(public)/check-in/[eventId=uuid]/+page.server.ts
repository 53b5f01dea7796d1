import { redirect } from '@sveltejs/kit';
import * as attendance from '$lib/server/attendance';
import { withRetryAfter } from '$lib/server/auth/rate-limit';
import { action, formValues, readForm } from '$lib/server/forms';
import { readQueued } from '$lib/server/outbox';
import { readCheckInLink } from '$lib/check-in-link';
import type { Actions, PageServerLoad } from './$types';

// The QR code opens this page; checking in is the POST of its button (link previews and
// preloading follow links). Someone not signed in gets a ticket that sign-in or sign-up
// redeems through `completeIntent`.
export const load: PageServerLoad = async ({ params, url, locals, setHeaders }) => {
	setHeaders({ 'cache-control': 'no-store', 'referrer-policy': 'same-origin' });
	const actor = locals.user ? { userId: locals.user.id } : null;
	return {
		eventId: params.eventId,
		...readCheckInLink(url.searchParams),
		isSignedIn: Boolean(actor),
		// The phone's outbox keeps a check-in made here without a connection, as its owner's.
		userId: actor?.userId ?? null,
		preview: await attendance.previewCheckInLink(actor, params.eventId)
	};
};

export const actions: Actions = {
	checkIn: async (event) => {
		const { params, locals } = event;
		const data = await readForm(event);
		const values = formValues(data);
		if (!locals.user) {
			const ticket = await action(values, () =>
				withRetryAfter(event, () =>
					attendance.issueTicket(params.eventId, values, event.getClientAddress())
				)
			);
			if (typeof ticket !== 'string') return ticket;
			const back = `/check-in/${params.eventId}?${new URLSearchParams({ ticket })}`;
			const to = values.then === 'sign-up' ? '/sign-up' : '/sign-in';
			redirect(303, `${to}?${new URLSearchParams({ redirectTo: back })}`);
		}
		const actor = { userId: locals.user.id };
		return action(values, () =>
			withRetryAfter(event, async () => {
				if (values.ticket) {
					await attendance.checkInWithTicket(actor, params.eventId, values.ticket);
				} else {
					await attendance.checkInWithCode(actor, params.eventId, values, {
						method: 'link',
						queued: readQueued(values)
					});
				}
				return { saved: 'checkedIn' as const };
			})
		);
	}
};
