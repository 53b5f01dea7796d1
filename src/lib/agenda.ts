// Run-of-show rules that need no database: overlaps and the "now / next" view. Shared by the
// server (warnings) and the browser (the clock on the day).
import { minutesOf, wallClockIn } from './time';

export interface TimedItem {
	id: string;
	startTime: string;
	durationMinutes: number;
	groupIds: string[];
}

export interface GroupClash {
	groupId: string;
	itemIds: [string, string];
}

function overlaps(a: TimedItem, b: TimedItem): boolean {
	const a0 = minutesOf(a.startTime);
	const b0 = minutesOf(b.startTime);
	return a0 < b0 + b.durationMinutes && b0 < a0 + a.durationMinutes;
}

/** Every pair of items that needs one group in two places at once. */
export function findGroupClashes(items: readonly TimedItem[]): GroupClash[] {
	const clashes: GroupClash[] = [];
	for (let i = 0; i < items.length; i++) {
		for (let j = i + 1; j < items.length; j++) {
			if (!overlaps(items[i], items[j])) continue;
			for (const groupId of items[i].groupIds) {
				if (items[j].groupIds.includes(groupId)) {
					clashes.push({ groupId, itemIds: [items[i].id, items[j].id] });
				}
			}
		}
	}
	return clashes;
}

export interface NowNext<T> {
	/** Not the event's day: before it, or after it. */
	day: 'before' | 'today' | 'after';
	now: T[];
	next: T | null;
}

/** What is on now and what comes next, on the wall clock of the event's time zone. */
export function nowAndNext<T extends Omit<TimedItem, 'groupIds'>>(
	items: readonly T[],
	eventDate: string,
	timeZone: string,
	at: Date
): NowNext<T> {
	const clock = wallClockIn(timeZone, at);
	const sorted = [...items].sort((a, b) => minutesOf(a.startTime) - minutesOf(b.startTime));
	if (clock.date < eventDate) return { day: 'before', now: [], next: sorted[0] ?? null };
	if (clock.date > eventDate) return { day: 'after', now: [], next: null };
	const now = sorted.filter((item) => {
		const start = minutesOf(item.startTime);
		return start <= clock.minutes && clock.minutes < start + item.durationMinutes;
	});
	const next = sorted.find((item) => minutesOf(item.startTime) > clock.minutes) ?? null;
	return { day: 'today', now, next };
}
