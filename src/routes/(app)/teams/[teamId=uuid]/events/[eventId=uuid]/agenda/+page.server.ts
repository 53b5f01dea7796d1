import * as agenda from '$lib/server/agenda';
import { requireUser } from '$lib/server/auth/guards';
import { action, rethrow } from '$lib/server/forms';
import { checkedIds, eventForm } from '$lib/server/event-request';
import type { AgendaItemInput } from '$lib/schemas/agenda';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	for (const kind of ['agenda', 'groups'])
		event.depends(`app:event:${event.params.eventId}:${kind}`);
	return await agenda
		.getAgenda({ userId: user.id }, event.params.teamId, event.params.eventId)
		.catch(rethrow);
};

type Form = Awaited<ReturnType<typeof eventForm>>;
const item = ({ values, data }: Form) =>
	({ ...values, groupIds: checkedIds(data, 'groupIds') }) as AgendaItemInput;
const run =
	(saved: string, fn: (f: Form) => Promise<unknown>) =>
	async (event: Parameters<typeof eventForm>[0]) => {
		const f = await eventForm(event);
		return action({ ...f.values, action: saved }, async () => {
			await fn(f);
			return { saved };
		});
	};

export const actions: Actions = {
	add: run('added', (f) => agenda.addAgendaItem(f.scope, item(f))),
	update: run('updated', (f) => agenda.updateAgendaItem(f.scope, f.values.itemId ?? '', item(f))),
	remove: run('removed', (f) => agenda.removeAgendaItem(f.scope, f.values.itemId ?? '')),
	move: run('moved', (f) =>
		agenda.moveAgendaItem(f.scope, f.values.itemId ?? '', f.values.direction as 'up' | 'down')
	)
};
