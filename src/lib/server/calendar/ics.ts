// iCalendar output. Times are written as UTC instants computed from the event's wall clock in
// its own time zone, so every client shows them right without a VTIMEZONE block; the zone is
// named in X-WR-TIMEZONE for clients that display it.
import ical, { ICalAlarmType, ICalEventStatus, ICalEventTransparency } from 'ical-generator';
import { zonedTime } from '$lib/time';

export interface CalendarEvent {
	id: string;
	title: string;
	date: string;
	startTime: string;
	endTime: string;
	timeZone: string;
	status: string;
	location: string | null;
	description: string;
	url: string;
	agenda?: { id: string; startTime: string; durationMinutes: number; title: string }[];
}

const DOMAIN = 'tongxing';

export function buildCalendar(
	name: string,
	items: CalendarEvent[],
	options: { alarms?: boolean; timeZone?: string } = {}
): string {
	const calendar = ical({
		name,
		prodId: { company: 'Tongxing', product: 'service-days', language: 'ZH' },
		x: options.timeZone ? { 'X-WR-TIMEZONE': options.timeZone } : undefined
	});
	for (const event of items) {
		const start = zonedTime(event.date, event.startTime, event.timeZone);
		calendar.createEvent({
			id: `${event.id}@${DOMAIN}`,
			start,
			end: zonedTime(event.date, event.endTime, event.timeZone),
			summary: event.title,
			location: event.location,
			description: event.description,
			url: event.url,
			status:
				event.status === 'cancelled'
					? ICalEventStatus.CANCELLED
					: event.status === 'draft'
						? ICalEventStatus.TENTATIVE
						: ICalEventStatus.CONFIRMED,
			alarms: options.alarms
				? [
						{ type: ICalAlarmType.display, triggerBefore: 24 * 3600, description: event.title },
						{ type: ICalAlarmType.display, triggerBefore: 3600, description: event.title }
					]
				: []
		});
		for (const item of event.agenda ?? []) {
			const itemStart = zonedTime(event.date, item.startTime, event.timeZone);
			calendar.createEvent({
				id: `${item.id}@${DOMAIN}`,
				start: itemStart,
				end: new Date(itemStart.getTime() + item.durationMinutes * 60_000),
				summary: `${item.title} · ${event.title}`,
				transparency: ICalEventTransparency.TRANSPARENT
			});
		}
	}
	return calendar.toString();
}
