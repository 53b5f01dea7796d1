import { redirect } from '@sveltejs/kit';
import * as teams from '$lib/server/teams';
import { createPasswordReset } from '$lib/server/accounts';
import * as events from '$lib/server/events';
import { requireUser } from '$lib/server/auth/guards';
import { rethrow } from '$lib/server/forms';
import { formAction, saveAction } from '$lib/server/event-request';
import { realtimeClientConfig } from '$lib/server/realtime/client-config';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const { teamId } = event.params;
	const actor = { userId: user.id };
	event.depends(`app:team:${teamId}:members`, `app:team:${teamId}:invites`);
	event.depends(`app:team:${teamId}:events`);
	const overview = await teams.getTeamOverview(actor, teamId).catch(rethrow);
	const teamEvents = await events.listTeamEvents(actor, teamId);
	return {
		...overview,
		events: teamEvents,
		me: { userId: user.id, name: user.displayName },
		realtime: await realtimeClientConfig(event.url.origin)
	};
};

export const actions: Actions = {
	changeRole: saveAction('role', ({ actor, teamId, values }) =>
		teams.changeRole(actor, teamId, values.userId ?? '', values.role as teams.Role)
	),
	remove: saveAction('removed', ({ actor, teamId, values }) =>
		teams.removeMember(actor, teamId, values.userId ?? '')
	),
	leave: async (event) => {
		const result = await formAction('leave', ({ actor, teamId }) => teams.leaveTeam(actor, teamId))(
			event
		);
		if (result) return result;
		redirect(303, '/teams');
	},
	createInvite: formAction('createInvite', async ({ actor, teamId, values }, event) => {
		const invite = await teams.createInvite(actor, teamId, values);
		return { invite: { url: `${event.url.origin}/invite/${invite.token}` } };
	}),
	revokeInvite: saveAction('revoked', ({ actor, teamId, values }) =>
		teams.revokeInvite(actor, teamId, values.inviteId ?? '')
	),
	resetLink: formAction('resetLink', async ({ actor, teamId, values }, event) => {
		const link = await createPasswordReset(actor, teamId, values.userId ?? '');
		return { reset: { userId: values.userId, url: `${event.url.origin}/reset/${link.token}` } };
	})
};
