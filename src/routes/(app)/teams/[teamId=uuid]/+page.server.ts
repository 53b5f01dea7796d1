import { redirect } from '@sveltejs/kit';
import * as teams from '$lib/server/teams';
import { createPasswordReset } from '$lib/server/accounts';
import * as events from '$lib/server/events';
import { requireUser } from '$lib/server/auth/guards';
import { action, rethrow } from '$lib/server/forms';
import { eventForm } from '$lib/server/event-request';
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
	changeRole: async (event) => {
		const { actor, teamId, values } = await eventForm(event);
		return action(values, async () => {
			await teams.changeRole(actor, teamId, values.userId ?? '', values.role as teams.Role);
			return { saved: 'role' as const };
		});
	},
	remove: async (event) => {
		const { actor, teamId, values } = await eventForm(event);
		return action(values, async () => {
			await teams.removeMember(actor, teamId, values.userId ?? '');
			return { saved: 'removed' as const };
		});
	},
	leave: async (event) => {
		const { actor, teamId, values } = await eventForm(event);
		const result = await action(values, () => teams.leaveTeam(actor, teamId));
		if (result) return result;
		redirect(303, '/teams');
	},
	createInvite: async (event) => {
		const { actor, teamId, values } = await eventForm(event);
		return action(values, async () => {
			const invite = await teams.createInvite(actor, teamId, values);
			return { invite: { url: `${event.url.origin}/invite/${invite.token}` } };
		});
	},
	revokeInvite: async (event) => {
		const { actor, teamId, values } = await eventForm(event);
		return action(values, async () => {
			await teams.revokeInvite(actor, teamId, values.inviteId ?? '');
			return { saved: 'revoked' as const };
		});
	},
	resetLink: async (event) => {
		const { actor, teamId, values } = await eventForm(event);
		return action(values, async () => {
			const link = await createPasswordReset(actor, teamId, values.userId ?? '');
			return {
				reset: { userId: values.userId, url: `${event.url.origin}/reset/${link.token}` }
			};
		});
	}
};
