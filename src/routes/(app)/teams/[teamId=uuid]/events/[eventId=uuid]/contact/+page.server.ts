import * as contacts from '$lib/server/contacts';
import { requireUser } from '$lib/server/auth/guards';
import { action, rethrow } from '$lib/server/forms';
import { eventForm } from '$lib/server/event-request';
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
	save: async (event) => {
		const { scope, values } = await eventForm(event);
		return action(values, async () => {
			await contacts.saveContact(scope, values);
			return { saved: 'contact' as const };
		});
	},
	createLink: async (event) => {
		const { scope, values } = await eventForm(event);
		return action(values, async () => {
			const { token } = await contacts.createContactLink(scope, values);
			return { saved: 'link' as const, linkUrl: `${event.url.origin}/c/${token}` };
		});
	},
	revokeLink: async (event) => {
		const { scope, values } = await eventForm(event);
		return action(values, async () => {
			await contacts.revokeContactLink(scope);
			return { saved: 'revoked' as const };
		});
	},
	accept: async (event) => {
		const { scope, values } = await eventForm(event);
		return action(values, async () => {
			await contacts.acceptProposal(scope);
			return { saved: 'accepted' as const };
		});
	},
	reply: async (event) => {
		const { scope, values } = await eventForm(event);
		return action(values, async () => {
			await contacts.replyToContact(scope, values);
			return { saved: 'replied' as const };
		});
	}
};
