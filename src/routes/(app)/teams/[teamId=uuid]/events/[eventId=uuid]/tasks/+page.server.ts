import * as tasks from '$lib/server/tasks';
import { requireUser } from '$lib/server/auth/guards';
import { rethrow } from '$lib/server/forms';
import { formAction } from '$lib/server/event-request';
import { accessMemo } from '$lib/server/request-memo';
import { renderTurn } from '$lib/server/render-turn';
import { BOARD_FILTERS, BOARD_GROUPINGS } from '$lib/schemas/tasks';
import { TASK_KINDS } from '$lib/task-kinds';
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
			by: pick(event.url.searchParams.get('by'), BOARD_GROUPINGS, 'time'),
			kind: TASK_KINDS.find((k) => k === event.url.searchParams.get('kind')) ?? null,
			memo: accessMemo(event.locals)
		})
		.catch(rethrow);
	// One idempotency key per claim form, new on every render: a resent form repeats its key.
	// Every task gets one: a live board may show a task the filter hid, or one I leave.
	const keys = Object.fromEntries(
		board.all.filter(() => board.isOpen).map((t) => [t.id, crypto.randomUUID()])
	);
	// Only what the page shows reaches the browser (every field is serialised into the HTML).
	const { id: eventId, teamId, title, date, startTime, endTime, timeZone } = board.event;
	// Rendered in a turn of its own: a room of phones opening the board holds no hint back.
	await renderTurn();
	return {
		event: { id: eventId, teamId, title, date, startTime, endTime, timeZone },
		isOpen: board.isOpen,
		canCreate: board.canCreate,
		filter: board.filter,
		by: board.by,
		kind: board.kind,
		hasGroup: board.hasGroup,
		myGroupId: board.myGroupId,
		// Every card, whatever the filter: the page filters (the same rule as the server) and a
		// live board keeps them all up to date from the event's hints, from this version on.
		version: board.version,
		tasks: board.all.map(tasks.toBoardCard),
		groups: board.canCreate ? board.groups : [],
		allGroups: board.by === 'group' ? board.allGroups : [],
		agenda: board.agenda,
		notices: board.notices,
		keys
	};
};

export const actions: Actions = {
	claim: formAction('claim', async ({ scope, values }) => {
		const taskId = values.taskId ?? '';
		const result = await tasks.claimTask(scope, taskId, values.key ?? '');
		// The counters and the hint's version let the page update the card from this answer.
		return {
			done: result.status,
			taskId,
			position: result.position,
			overlaps: result.overlaps,
			counts: result.counts,
			version: result.version
		};
	}),
	withdraw: formAction('withdraw', async ({ scope, values }) => {
		const result = await tasks.withdrawFromTask(scope, values.taskId ?? '');
		return {
			done: 'withdrawn' as const,
			taskId: values.taskId ?? '',
			counts: result.counts,
			version: result.version,
			// The card offers a claim again: its form needs a fresh key.
			key: crypto.randomUUID()
		};
	}),
	create: formAction('create', async ({ scope, values }) => {
		await tasks.createTask(scope, values);
		return { done: 'created' as const };
	}),
	dismiss: formAction('dismiss', async ({ scope, values }) => {
		await tasks.dismissNotice(scope, values.noticeId ?? '');
		return { done: 'dismissed' as const };
	})
};
