import * as contacts from '$lib/server/contacts';
import { eventLoad, formAction, saveAction } from '$lib/server/event-request';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) =>
	eventLoad(event, ['event', 'contacts'], async (actor, teamId, eventId) => {
		// The page may show a fresh link: keep it out of every cache.
		event.setHeaders({ 'cache-control': 'private, no-store' });
		const panel = await contacts.getContactPanel(actor, teamId, eventId);
		return { panel, myId: actor.userId };
	});

export const actions: Actions = {
	save: saveAction('contact', ({ scope, values }) => contacts.saveContact(scope, values)),
	createLink: formAction('link', async ({ scope, values }, event) => {
		const { token } = await contacts.createContactLink(scope, values);
		return { saved: 'link' as const, linkUrl: `${event.url.origin}/c/${token}` };
	}),
	revokeLink: saveAction('revoked', ({ scope }) => contacts.revokeContactLink(scope)),
	accept: saveAction('accepted', ({ scope }) => contacts.acceptProposal(scope)),
	reply: saveAction('replied', ({ scope, values }) => contacts.replyToContact(scope, values))
};
