import { redirect } from '@sveltejs/kit';
import * as tasks from '$lib/server/tasks';
import { requireUser } from '$lib/server/auth/guards';
import { action, rethrow } from '$lib/server/forms';
import { checkedIds, eventForm } from '$lib/server/event-request';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const { teamId, eventId, taskId } = event.params;
	for (const kind of ['tasks', 'signups']) event.depends(`app:event:${eventId}:${kind}`);
	return await tasks.getTaskDetail({ userId: user.id }, teamId, eventId, taskId).catch(rethrow);
};

type Request = Parameters<typeof eventForm>[0] & { params: { taskId: string } };
type Form = Awaited<ReturnType<typeof eventForm>> & { taskId: string };
const run = (saved: string, fn: (f: Form) => Promise<unknown>) => async (event: Request) => {
	const f = await eventForm(event);
	return action({ ...f.values, action: saved }, async () => {
		await fn({ ...f, taskId: event.params.taskId });
		return { saved };
	});
};

export const actions: Actions = {
	assign: run('assign', ({ actor, teamId, eventId, taskId, values }) =>
		tasks.assignTask(actor, teamId, eventId, taskId, values.userId ?? '')
	),
	remove: run('remove', ({ actor, teamId, eventId, taskId, values }) =>
		tasks.removeSignup(actor, teamId, eventId, taskId, values.userId ?? '')
	),
	capacity: run('capacity', ({ actor, teamId, eventId, taskId, values, data }) =>
		tasks.setCapacity(actor, teamId, eventId, taskId, values.capacity, checkedIds(data, 'move'))
	),
	update: run('update', ({ actor, teamId, eventId, taskId, values }) =>
		tasks.updateTask(actor, teamId, eventId, taskId, values)
	),
	delete: async (event) => {
		const { actor, teamId, eventId, values } = await eventForm(event);
		const failed = await action(values, () =>
			tasks.deleteTask(actor, teamId, eventId, event.params.taskId)
		);
		if (failed) return failed;
		redirect(303, `/teams/${teamId}/events/${eventId}/tasks`);
	},
	readiness: run('readiness', ({ actor, teamId, eventId, taskId, values }) =>
		tasks.setReadiness(actor, teamId, eventId, taskId, values.readiness ?? '')
	),
	addItem: run('addItem', ({ actor, teamId, eventId, taskId, values }) =>
		tasks.addPerformanceItem(actor, teamId, eventId, taskId, values)
	),
	tickItem: run('tickItem', ({ actor, teamId, eventId, taskId, values }) =>
		tasks.setPerformanceItemDone(
			actor,
			teamId,
			eventId,
			taskId,
			values.itemId ?? '',
			values.isDone === 'true'
		)
	),
	removeItem: run('removeItem', ({ actor, teamId, eventId, taskId, values }) =>
		tasks.removePerformanceItem(actor, teamId, eventId, taskId, values.itemId ?? '')
	),
	rehearsal: run('rehearsal', ({ actor, teamId, eventId, taskId, values }) =>
		tasks.logRehearsal(actor, teamId, eventId, taskId, values)
	)
};
