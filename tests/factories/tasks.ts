// Tasks made through the domain commands, as the app makes them.
import * as tasks from '../../src/lib/server/tasks';
import type { TaskInput } from '../../src/lib/schemas/tasks';
import type { TeamFixture } from './teams';
import { inDays } from './events';

let counter = 0;

export async function makeTask(
	team: TeamFixture,
	eventId: string,
	overrides: Partial<TaskInput> = {},
	by: { id: string } = team.captain
): Promise<{ id: string }> {
	return tasks.createTask(
		{ actor: { userId: by.id }, teamId: team.teamId, eventId },
		{
			kind: 'tutoring',
			title: `任务 ${++counter}`,
			date: inDays(14),
			startTime: '09:00',
			endTime: '10:00',
			capacity: 3,
			...overrides
		}
	);
}

/** A fresh idempotency key, as a claim form renders one. */
export const key = () => crypto.randomUUID();
