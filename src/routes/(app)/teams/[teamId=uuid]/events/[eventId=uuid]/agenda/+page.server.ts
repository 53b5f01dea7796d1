import * as agenda from '$lib/server/agenda';
import { checkedIds, eventLoad, saveAction, type EventForm } from '$lib/server/event-request';
import type { AgendaItemInput } from '$lib/schemas/agenda';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) =>
	eventLoad(event, ['agenda', 'groups'], agenda.getAgenda);

const item = ({ values, data }: EventForm) =>
	({ ...values, groupIds: checkedIds(data, 'groupIds') }) as AgendaItemInput;

export const actions: Actions = {
	add: saveAction('added', (f) => agenda.addAgendaItem(f.scope, item(f))),
	update: saveAction('updated', (f) =>
		agenda.updateAgendaItem(f.scope, f.values.itemId ?? '', item(f))
	),
	remove: saveAction('removed', (f) => agenda.removeAgendaItem(f.scope, f.values.itemId ?? '')),
	move: saveAction('moved', (f) =>
		agenda.moveAgendaItem(f.scope, f.values.itemId ?? '', f.values.direction as 'up' | 'down')
	)
};
