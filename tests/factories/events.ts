// Events made through the domain commands, as the app makes them.
import * as events from '../../src/lib/server/events';
import type { CreateEventInput } from '../../src/lib/schemas/events';
import type { EventStatus } from '../../src/lib/server/db/schema';
import { addDays, todayIn } from '../../src/lib/time';
import type { TeamFixture } from './teams';

let counter = 0;

/** A date `days` from today in Shanghai. */
export const inDays = (days: number) => addDays(todayIn('Asia/Shanghai'), days);

export async function makeEvent(
	team: TeamFixture,
	overrides: Partial<CreateEventInput> & { status?: EventStatus } = {}
): Promise<{ id: string }> {
	const { status, ...input } = overrides;
	const actor = { userId: team.captain.id };
	const event = await events.createEvent(actor, team.teamId, {
		title: `服务日 ${++counter}`,
		date: inDays(14),
		startTime: '08:30',
		endTime: '12:30',
		useTemplate: false,
		...input
	});
	const path: EventStatus[] = ['planned', 'confirmed', 'completed'];
	if (status === 'cancelled') {
		await events.changeStatus({ actor, teamId: team.teamId, eventId: event.id }, 'cancelled');
	} else if (status && status !== 'draft') {
		for (const step of path.slice(0, path.indexOf(status) + 1)) {
			await events.changeStatus({ actor, teamId: team.teamId, eventId: event.id }, step);
		}
	}
	return event;
}
