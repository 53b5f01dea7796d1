// Intl formatters, built once per locale and options (the time zone is one of them) and kept.
// Building an Intl.DateTimeFormat costs tens of microseconds (ICU resolves the locale, the
// calendar and the zone's rules); a board formats every card's times, a CSV every row's.
// Formatters are immutable, so sharing one across requests and users leaks nothing.
// Shared by server and browser.

/**
 * The cache never grows without bound: options (a time zone) can come from data. Past this many
 * formatters of one kind it starts again empty; a working set is a few dozen.
 */
export const MAX_CACHED_FORMATS = 256;

function cached<F, O extends object>(
	make: (locale: string | undefined, options: O | undefined) => F
): (locale?: string, options?: O) => F {
	const byKey = new Map<string, F>();
	return (locale, options) => {
		// Option objects are written as literals, so their key order is stable per call site.
		const key = `${locale ?? ''}\u0000${options ? JSON.stringify(options) : ''}`;
		let format = byKey.get(key);
		if (format === undefined) {
			format = make(locale, options);
			if (byKey.size >= MAX_CACHED_FORMATS) byKey.clear();
			byKey.set(key, format);
		}
		return format;
	};
}

/** `new Intl.DateTimeFormat(locale, options)`, shared; throws the same RangeError for a bad zone. */
export const dateTimeFormat = cached<Intl.DateTimeFormat, Intl.DateTimeFormatOptions>(
	(locale, options) => new Intl.DateTimeFormat(locale, options)
);

/** `new Intl.NumberFormat(locale, options)`, shared. */
export const numberFormat = cached<Intl.NumberFormat, Intl.NumberFormatOptions>(
	(locale, options) => new Intl.NumberFormat(locale, options)
);
