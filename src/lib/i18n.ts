// Locale helpers shared by server and browser. Paraglide matches Accept-Language tags exactly
// or by base tag, so `zh`, `zh-Hans` or `zh-TW` would miss `zh-CN`: every `zh*` tag counts
// as zh-CN here, before Paraglide sees the header.
import { baseLocale, locales, type Locale } from '$lib/paraglide/runtime';
import { dateTimeFormat, numberFormat } from '$lib/intl';

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

export function normalizeLanguageTag(tag: string): string {
	const trimmed = tag.trim();
	return /^zh(?:$|[-_])/i.test(trimmed) ? 'zh-CN' : trimmed;
}

export function normalizeAcceptLanguage(header: string | null): string | null {
	if (!header) return header;
	return header
		.split(',')
		.map((part) => {
			const [tag, ...params] = part.split(';');
			return [normalizeLanguageTag(tag), ...params].join(';');
		})
		.join(',');
}

export function isSupportedLocale(value: unknown): value is Locale {
	return typeof value === 'string' && (locales as readonly string[]).includes(value);
}

export function toLocaleOrBase(value: unknown): Locale {
	return isSupportedLocale(value) ? value : baseLocale;
}

export function isValidTimeZone(timeZone: string): boolean {
	try {
		dateTimeFormat('en', { timeZone });
		return true;
	} catch (err) {
		if (err instanceof RangeError) return false;
		throw err;
	}
}

export function formatDateTime(
	value: Date | string | number,
	locale: Locale,
	timeZone: string = DEFAULT_TIME_ZONE,
	options: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' }
): string {
	return dateTimeFormat(locale, { ...options, timeZone }).format(new Date(value));
}

export function formatDate(
	value: Date | string | number,
	locale: Locale,
	timeZone: string = DEFAULT_TIME_ZONE
): string {
	return formatDateTime(value, locale, timeZone, { dateStyle: 'full' });
}

export function formatNumber(value: number, locale: Locale, options?: Intl.NumberFormatOptions) {
	return numberFormat(locale, options).format(value);
}

/** A redirect target that stays on this site: a path, never `//host` or a full URL. */
export function safeRedirectPath(value: unknown, fallback = '/'): string {
	if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//'))
		return fallback;
	if (value.includes('\\') || [...value].some((c) => c.charCodeAt(0) < 0x20)) return fallback;
	return value;
}
