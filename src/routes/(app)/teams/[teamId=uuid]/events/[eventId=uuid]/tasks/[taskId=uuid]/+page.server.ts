import { redirect } from '@sveltejs/kit';
import * as tasks from '$lib/server/tasks';
import {
	checkedIds,
	eventLoad,
	formAction,
	saveAction,
	type EventForm,
	type EventRequest
} from '$lib/server/event-request';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) =>
	eventLoad(event, ['tasks', 'signups'], (actor, teamId, eventId) =>
		tasks.getTaskDetail(actor, teamId, eventId, event.params.taskId)
	);

type TaskRequest = EventRequest & { params: { taskId: string } };
type TaskForm = EventForm & { taskId: string };
const run = (saved: string, fn: (f: TaskForm) => Promise<unknown>) =>
	saveAction<string, TaskRequest>(saved, (f, event) => fn({ ...f, taskId: event.params.taskId }));

export const actions: Actions = {
	assign: run('assign', ({ scope, taskId, values }) =>
		tasks.assignTask(scope, taskId, values.userId ?? '')
	),
	remove: run('remove', ({ scope, taskId, values }) =>
		tasks.removeSignup(scope, taskId, values.userId ?? '')
	),
	capacity: run('capacity', ({ scope, taskId, values, data }) =>
		tasks.setCapacity(scope, taskId, values.capacity, checkedIds(data, 'move'))
	),
	update: run('update', ({ scope, taskId, values }) => tasks.updateTask(scope, taskId, values)),
	delete: async (event) => {
		const failed = await formAction<void, TaskRequest>('delete', (f, e) =>
			tasks.deleteTask(f.scope, e.params.taskId)
		)(event);
		if (failed) return failed;
		redirect(303, `/teams/${event.params.teamId}/events/${event.params.eventId}/tasks`);
	},
	readiness: run('readiness', ({ scope, taskId, values }) =>
		tasks.setReadiness(scope, taskId, values.readiness ?? '')
	),
	addItem: run('addItem', ({ scope, taskId, values }) =>
		tasks.addPerformanceItem(scope, taskId, values)
	),
	tickItem: run('tickItem', ({ scope, taskId, values }) =>
		tasks.setPerformanceItemDone(scope, taskId, values.itemId ?? '', values.isDone === 'true')
	),
	removeItem: run('removeItem', ({ scope, taskId, values }) =>
		tasks.removePerformanceItem(scope, taskId, values.itemId ?? '')
	),
	rehearsal: run('rehearsal', ({ scope, taskId, values }) =>
		tasks.logRehearsal(scope, taskId, values)
	)
};
