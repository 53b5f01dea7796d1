// Wall-clock dates and times of an event, which live in the event's time zone. Shared by server
// and browser; everything goes through Intl, no time-zone library.
import { dateTimeFormat } from './intl';

/** `HH:MM` or `HH:MM:SS` → minutes after midnight. */
export function minutesOf(time: string): number {
	// The common shape, two digits each, read in place (a board compares every card's times
	// with my claims': hundreds of calls per render); anything else the general way.
	if (time.length >= 5 && time.charCodeAt(2) === 58 /* : */) {
		const h = (time.charCodeAt(0) - 48) * 10 + time.charCodeAt(1) - 48;
		const m = (time.charCodeAt(3) - 48) * 10 + time.charCodeAt(4) - 48;
		if (h >= 0 && h <= 99 && m >= 0 && m <= 99) return h * 60 + m;
	}
	const [h, m] = time.split(':').map(Number);
	return h * 60 + m;
}

/** Minutes after midnight → `HH:MM` (within the day). */
export function hhmm(minutes: number): string {
	const m = ((minutes % 1440) + 1440) % 1440;
	return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/** A `YYYY-MM-DD` date `days` later (or earlier, when negative). */
export function addDays(date: string, days: number): string {
	const [y, m, d] = date.split('-').map(Number);
	return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

function partsIn(instant: Date, timeZone: string): Record<string, number> {
	const parts = dateTimeFormat('en-US', {
		timeZone,
		hourCycle: 'h23',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit'
	}).formatToParts(instant);
	const out: Record<string, number> = {};
	for (const p of parts) if (p.type !== 'literal') out[p.type] = Number(p.value);
	return out;
}

/** How far the zone's wall clock is ahead of UTC at `instant`, in milliseconds. */
function offsetMs(instant: Date, timeZone: string): number {
	const p = partsIn(instant, timeZone);
	const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
	return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/** The instant at which the wall clock in `timeZone` shows `date` `time`. */
export function zonedTime(date: string, time: string, timeZone: string): Date {
	const [y, mo, d] = date.split('-').map(Number);
	const minutes = minutesOf(time);
	const wall = Date.UTC(y, mo - 1, d, 0, minutes);
	let guess = wall - offsetMs(new Date(wall), timeZone);
	// Once more: near a daylight-saving change the first offset may be the other side's.
	guess = wall - offsetMs(new Date(guess), timeZone);
	return new Date(guess);
}

/** Today's date on the wall calendar of `timeZone`. */
export function todayIn(timeZone: string, now: Date = new Date()): string {
	const p = partsIn(now, timeZone);
	return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

/** Minutes after midnight on the wall clock of `timeZone`, with the date. */
export function wallClockIn(timeZone: string, now: Date = new Date()) {
	const p = partsIn(now, timeZone);
	return { date: todayIn(timeZone, now), minutes: p.hour * 60 + p.minute };
}
