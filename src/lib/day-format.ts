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

/**
 * The one rounding rule for volunteer hours, wherever they appear (hours page, certificate,
 * CSV, post-event summary, the contact's link): whole minutes to hours with one decimal,
 * halves up. A total is the rounded sum of the minutes, not the sum of rounded rows.
 */
export function roundHours(minutes: number): number {
	return Math.round(minutes / 6) / 10;
}

/** Minutes as hours with one decimal (always shown, "0.0"), in the viewer's number format. */
export function formatHours(minutes: number, locale: Locale): string {
	return numberFormat(locale, {
		minimumFractionDigits: 1,
		maximumFractionDigits: 1
	}).format(roundHours(minutes));
}
