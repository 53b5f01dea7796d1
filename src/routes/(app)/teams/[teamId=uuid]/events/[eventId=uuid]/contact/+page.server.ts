import * as contacts from '$lib/server/contacts';
import { requireUser } from '$lib/server/auth/guards';
import { rethrow } from '$lib/server/forms';
import { formAction, saveAction } from '$lib/server/event-request';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const id = event.params.eventId;
	for (const kind of ['event', 'contacts']) event.depends(`app:event:${id}:${kind}`);
	// The page may show a fresh link: keep it out of every cache.
	event.setHeaders({ 'cache-control': 'private, no-store' });
	const panel = await contacts
		.getContactPanel({ userId: user.id }, event.params.teamId, id)
		.catch(rethrow);
	return { panel, myId: user.id };
};

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
