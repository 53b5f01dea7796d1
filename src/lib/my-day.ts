// "My day"'s now/next: which of my tasks is on at this moment and which comes next, on the
// wall clock of the event's time zone (a task may fall on another day than the event).
import { overlaps } from './board-filter';
import { zonedTime } from './time';

interface MyTask {
	id: string;
	title: string;
	date: string;
	startTime: string;
	endTime: string;
	status: 'claimed' | 'waiting';
}

export interface MyNowNext<T> {
	now: T[];
	next: T | null;
}

/** My claimed tasks under way at `at`, and the first claimed one that starts after it. */
export function myNowNext<T extends MyTask>(
	tasks: readonly T[],
	timeZone: string,
	at: Date
): MyNowNext<T> {
	const claimed = tasks
		.filter((t) => t.status === 'claimed')
		.map((t) => ({
			task: t,
			start: zonedTime(t.date, t.startTime, timeZone).getTime(),
			end: zonedTime(t.date, t.endTime, timeZone).getTime()
		}))
		.sort((a, b) => a.start - b.start);
	const time = at.getTime();
	return {
		now: claimed.filter((t) => t.start <= time && time < t.end).map((t) => t.task),
		next: claimed.find((t) => t.start > time)?.task ?? null
	};
}

/** The ids of my claimed tasks that overlap another of them. */
export function overlappingIds(tasks: readonly MyTask[]): Set<string> {
	const claimed = tasks.filter((t) => t.status === 'claimed');
	return new Set(
		claimed.filter((t) => claimed.some((o) => o.id !== t.id && overlaps(o, t))).map((t) => t.id)
	);
}
