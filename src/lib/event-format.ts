// An event's date and times, shown through Intl in the event's own time zone (whatever the
// viewer's device says).
import { formatDateTime } from '$lib/i18n';
import type { Locale } from '$lib/paraglide/runtime';
import { zonedTime } from '$lib/time';

export function formatEventDate(
	date: string,
	timeZone: string,
	locale: Locale,
	style: 'full' | 'medium' = 'full'
): string {
	return formatDateTime(zonedTime(date, '12:00', timeZone), locale, timeZone, { dateStyle: style });
}

export function formatEventTime(
	date: string,
	time: string,
	timeZone: string,
	locale: Locale
): string {
	return formatDateTime(zonedTime(date, time, timeZone), locale, timeZone, {
		hour: '2-digit',
		minute: '2-digit',
		hourCycle: 'h23'
	});
}
