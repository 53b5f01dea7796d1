import * as groups from '$lib/server/groups';
import { eventLoad, saveAction } from '$lib/server/event-request';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => eventLoad(event, ['groups'], groups.listGroups);

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
