// Moments of the service day (a check-in, a report) as hh:mm in the event's own time zone.
import { formatDateTime } from '$lib/i18n';
import { numberFormat } from '$lib/intl';
import type { Locale } from '$lib/paraglide/runtime';

export function formatClock(value: Date | string, timeZone: string, locale: Locale): string {
	return formatDateTime(value, locale, timeZone, {
		hour: '2-digit',
		minute: '2-digit',
		hourCycle: 'h23'
	});
}

/** Minutes as hours with two decimals, in the viewer's number format. */
export function formatHours(minutes: number, locale: Locale): string {
	return numberFormat(locale, {
		minimumFractionDigits: 2,
		maximumFractionDigits: 2
	}).format(minutes / 60);
}
