import * as groups from '$lib/server/groups';
import { requireUser } from '$lib/server/auth/guards';
import { rethrow } from '$lib/server/forms';
import { saveAction } from '$lib/server/event-request';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	event.depends(`app:event:${event.params.eventId}:groups`);
	return await groups
		.listGroups({ userId: user.id }, event.params.teamId, event.params.eventId)
		.catch(rethrow);
};

export const actions: Actions = {
	create: saveAction('created', ({ scope, values }) => groups.createGroup(scope, values)),
	update: saveAction('updated', ({ scope, values }) =>
		groups.updateGroup(scope, values.groupId ?? '', values)
	),
	setLeader: saveAction('leader', ({ scope, values }) =>
		groups.setGroupLeader(scope, values.groupId ?? '', values.leaderId || null)
	),
	delete: saveAction('deleted', ({ scope, values }) =>
		groups.deleteGroup(scope, values.groupId ?? '')
	),
	addMember: saveAction('member', ({ scope, values }) =>
		groups.addGroupMember(scope, values.groupId ?? '', values.userId ?? '')
	),
	removeMember: saveAction('member', ({ scope, values }) =>
		groups.removeGroupMember(scope, values.groupId ?? '', values.userId ?? '')
	)
};
