// The event overview's performances and how ready each is.
import { and, asc, eq } from 'drizzle-orm';
import { eventGroups, tasks } from '../db/schema';
import { eventRead } from '../events/scope';
import type { Readiness } from '$lib/task-kinds';

export interface PerformanceState {
	taskId: string;
	title: string;
	group: { name: string; colour: string } | null;
	readiness: Readiness;
}

/** Each group's performances and how ready they are, for the event's overview page. */
export const listPerformanceStates = eventRead(
	async (db, _access, { eventId }): Promise<PerformanceState[]> => {
		const rows = await db
			.select({
				taskId: tasks.id,
				title: tasks.title,
				groupName: eventGroups.name,
				groupColour: eventGroups.colour,
				readiness: tasks.readiness
			})
			.from(tasks)
			.leftJoin(eventGroups, eq(eventGroups.id, tasks.groupId))
			.where(and(eq(tasks.eventId, eventId), eq(tasks.kind, 'performance')))
			.orderBy(asc(eventGroups.createdAt), asc(tasks.startTime), asc(tasks.id));
		return rows.map((r) => ({
			taskId: r.taskId,
			title: r.title,
			group: r.groupName && r.groupColour ? { name: r.groupName, colour: r.groupColour } : null,
			readiness: r.readiness as Readiness
		}));
	}
);
