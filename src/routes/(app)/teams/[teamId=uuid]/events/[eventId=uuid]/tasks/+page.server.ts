import * as tasks from '$lib/server/tasks';
import { requireUser } from '$lib/server/auth/guards';
import { action, rethrow } from '$lib/server/forms';
import { eventForm } from '$lib/server/event-request';
import { BOARD_FILTERS, BOARD_GROUPINGS } from '$lib/schemas/tasks';
import type { Actions, PageServerLoad } from './$types';

function pick<T extends string>(value: string | null, allowed: readonly T[], fallback: T): T {
	return allowed.includes(value as T) ? (value as T) : fallback;
}

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const id = event.params.eventId;
	for (const kind of ['tasks', 'signups', 'groups']) event.depends(`app:event:${id}:${kind}`);
	const board = await tasks
		.getTaskBoard({ userId: user.id }, event.params.teamId, id, {
			filter: pick(event.url.searchParams.get('filter'), BOARD_FILTERS, 'all'),
			by: pick(event.url.searchParams.get('by'), BOARD_GROUPINGS, 'kind')
		})
		.catch(rethrow);
	// One idempotency key per claim form, new on every render: a resent form repeats its key.
	const keys = Object.fromEntries(board.tasks.map((t) => [t.id, crypto.randomUUID()]));
	return { ...board, keys };
};

export const actions: Actions = {
	claim: async (event) => {
		const { actor, teamId, eventId, values } = await eventForm(event);
		return action({ ...values, action: 'claim' }, async () => {
			const taskId = values.taskId ?? '';
			const result = await tasks.claimTask(actor, teamId, eventId, taskId, values.key ?? '');
			return { done: result.status, taskId, position: result.position, overlaps: result.overlaps };
		});
	},
	withdraw: async (event) => {
		const { actor, teamId, eventId, values } = await eventForm(event);
		return action({ ...values, action: 'withdraw' }, async () => {
			await tasks.withdrawFromTask(actor, teamId, eventId, values.taskId ?? '');
			return { done: 'withdrawn' as const, taskId: values.taskId ?? '' };
		});
	},
	create: async (event) => {
		const { actor, teamId, eventId, values } = await eventForm(event);
		return action({ ...values, action: 'create' }, async () => {
			await tasks.createTask(actor, teamId, eventId, values);
			return { done: 'created' as const };
		});
	},
	dismiss: async (event) => {
		const { actor, teamId, eventId, values } = await eventForm(event);
		return action(values, async () => {
			await tasks.dismissNotice(actor, teamId, eventId, values.noticeId ?? '');
			return { done: 'dismissed' as const };
		});
	}
};
