import * as groups from '$lib/server/groups';
import { requireUser } from '$lib/server/auth/guards';
import { action, rethrow } from '$lib/server/forms';
import { eventForm } from '$lib/server/event-request';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	event.depends(`app:event:${event.params.eventId}:groups`);
	return await groups
		.listGroups({ userId: user.id }, event.params.teamId, event.params.eventId)
		.catch(rethrow);
};

type Form = Awaited<ReturnType<typeof eventForm>>;
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
	create: run('created', ({ actor, teamId, eventId, values }) =>
		groups.createGroup(actor, teamId, eventId, values)
	),
	update: run('updated', ({ actor, teamId, eventId, values }) =>
		groups.updateGroup(actor, teamId, eventId, values.groupId ?? '', values)
	),
	setLeader: run('leader', ({ actor, teamId, eventId, values }) =>
		groups.setGroupLeader(actor, teamId, eventId, values.groupId ?? '', values.leaderId || null)
	),
	delete: run('deleted', ({ actor, teamId, eventId, values }) =>
		groups.deleteGroup(actor, teamId, eventId, values.groupId ?? '')
	),
	addMember: run('member', ({ actor, teamId, eventId, values }) =>
		groups.addGroupMember(actor, teamId, eventId, values.groupId ?? '', values.userId ?? '')
	),
	removeMember: run('member', ({ actor, teamId, eventId, values }) =>
		groups.removeGroupMember(actor, teamId, eventId, values.groupId ?? '', values.userId ?? '')
	)
};
