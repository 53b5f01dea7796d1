// The contact link's clock and the confirmation's rules. Pure functions: every moment is
// derived from the event's date in its own time zone, so a date change moves them all.
import type { ContactState, EventStatus, ScheduleChange } from '../db/schema';
import { addDays, todayIn, zonedTime } from '$lib/time';

/** What a link is good for, by default, after the event: a month to look back. */
export const DEFAULT_LINK_DAYS_AFTER = 30;
/** The team's pages warn this many days before an event the community has not confirmed. */
export const WARN_DAYS_BEFORE = 7;

interface EventClock {
	date: string;
	startTime: string;
	timeZone: string;
}

/** The end of the `days`-th day after the event, on the event's own calendar. */
function endOfDayAfter(event: EventClock, days: number): Date {
	return zonedTime(addDays(event.date, days + 1), '00:00', event.timeZone);
}

export function linkExpiresAt(event: EventClock, validDaysAfter: number): Date {
	return endOfDayAfter(event, validDaysAfter);
}

/** The contact's details and notes are gone from this moment on (PIPL), swept or not. */
export function erasureAt(event: EventClock, retentionDays: number): Date {
	return endOfDayAfter(event, retentionDays);
}

/** The contact may change their answer until the event begins. */
export function canAnswer(event: EventClock & { status: EventStatus }, now: Date): boolean {
	const open = event.status !== 'completed' && event.status !== 'cancelled';
	return open && now < zonedTime(event.date, event.startTime, event.timeZone);
}

export function needsWarning(
	event: EventClock & { status: EventStatus },
	state: ContactState | null,
	now: Date
): boolean {
	if (state === 'confirmed') return false;
	if (event.status === 'draft' || event.status === 'completed' || event.status === 'cancelled') {
		return false;
	}
	const today = todayIn(event.timeZone, now);
	return today >= addDays(event.date, -WARN_DAYS_BEFORE) && today <= event.date;
}

/** The fields the community agreed to. */
export interface Schedule {
	date: string;
	startTime: string;
	endTime: string;
	venueName: string | null;
	venueAddress: string | null;
}

const SCHEDULE_FIELDS = ['date', 'startTime', 'endTime', 'venueName', 'venueAddress'] as const;

export function scheduleChanges(before: Schedule, after: Schedule): ScheduleChange[] {
	return SCHEDULE_FIELDS.filter((f) => (before[f] ?? null) !== (after[f] ?? null)).map((f) => ({
		field: f,
		from: before[f] ?? null,
		to: after[f] ?? null
	}));
}
