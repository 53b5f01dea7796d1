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
	create: run('created', ({ scope, values }) => groups.createGroup(scope, values)),
	update: run('updated', ({ scope, values }) =>
		groups.updateGroup(scope, values.groupId ?? '', values)
	),
	setLeader: run('leader', ({ scope, values }) =>
		groups.setGroupLeader(scope, values.groupId ?? '', values.leaderId || null)
	),
	delete: run('deleted', ({ scope, values }) => groups.deleteGroup(scope, values.groupId ?? '')),
	addMember: run('member', ({ scope, values }) =>
		groups.addGroupMember(scope, values.groupId ?? '', values.userId ?? '')
	),
	removeMember: run('member', ({ scope, values }) =>
		groups.removeGroupMember(scope, values.groupId ?? '', values.userId ?? '')
	)
};
