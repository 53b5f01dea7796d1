// What the service worker keeps and how it answers without a network, as plain functions (the
// worker itself cannot be imported by a unit test; these can).

/**
 * The pages of a service day kept on the phone once opened: the event overview, My day, the run
 * of show, the day sheet, the check-in page, and the pages where the day's forms are (incident
 * reports; the attendance board for a leader's hand check-in; the task board, whose claim button
 * then says it needs a connection). Nothing else: no other team's
 * data, no account page.
 */
const KEPT = new RegExp(
	'^/teams/[0-9a-f-]{36}/events/[0-9a-f-]{36}(?:/(?:me|agenda|sheet|checkin|incidents|attendance|tasks))?$',
	'i'
);

/**
 * The check-in link the QR opens (`/check-in/<event>?session=…&code=…`). Its code changes every
 * 30 seconds, so it is kept by path alone: one shell per event, which reads the code from the
 * address when it runs (a scan made offline opens it with a code it has never seen).
 */
const LINK = /^\/check-in\/([0-9a-f-]{36})$/i;
const EVENT_PAGE = /^\/teams\/[0-9a-f-]{36}\/events\/([0-9a-f-]{36})(?:\/|$)/i;

/** The cache key of a kept page (path and sorted query), or null for a page never kept. */
export function keptPageKey(url: URL): string | null {
	if (LINK.test(url.pathname)) return url.pathname;
	if (!KEPT.test(url.pathname)) return null;
	const query = new URLSearchParams(url.search);
	query.sort();
	const search = query.toString();
	return search ? `${url.pathname}?${search}` : url.pathname;
}

/**
 * The check-in link page of the event a kept page belongs to: a volunteer who has opened any of
 * the day's pages can scan the QR without a connection. Null for any other page.
 */
export function linkPageOf(url: URL): string | null {
	const event = KEPT.test(url.pathname) ? EVENT_PAGE.exec(url.pathname) : null;
	return event ? `/check-in/${event[1]}` : null;
}

/**
 * A `__data.json` answer in which every node the request names is "unchanged" (SvelteKit's
 * `skip`): the open page keeps its data. The request says how many nodes it has, one flag each,
 * in `x-sveltekit-invalidated`.
 */
export function skipAllNodes(url: URL): string {
	const flags = url.searchParams.get('x-sveltekit-invalidated') ?? '';
	const count = Math.max(flags.length, 1);
	return `${JSON.stringify({ type: 'data', nodes: Array.from({ length: count }, () => ({ type: 'skip' })) })}\n`;
}

/**
 * The ActionResult of a form post that found no network: a failure (the form keeps what was
 * typed) whose data, as devalue writes `{ offline: true }`, the pages and the outbox recognise.
 */
export const OFFLINE_ANSWER = JSON.stringify({
	type: 'failure',
	status: 503,
	data: JSON.stringify([{ offline: 1 }, true])
});

/**
 * The event's time zone that a kept page carries (the event layout's `data-time-zone`), so that
 * its "offline · as of 10:42" mark reads the event's clock like every other time on the page,
 * not the phone's; undefined for a page without one or with a zone this browser does not know.
 */
export function keptPageTimeZone(html: string): string | undefined {
	const zone = /\sdata-time-zone="([^"]+)"/.exec(html)?.[1];
	if (!zone) return undefined;
	try {
		new Intl.DateTimeFormat('en', { timeZone: zone });
		return zone;
	} catch (error) {
		if (error instanceof RangeError) return undefined;
		throw error;
	}
}
