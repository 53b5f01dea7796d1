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

/** The cache key of a kept page (path and sorted query), or null for a page never kept. */
export function keptPageKey(url: URL): string | null {
	if (!KEPT.test(url.pathname)) return null;
	const query = new URLSearchParams(url.search);
	query.sort();
	const search = query.toString();
	return search ? `${url.pathname}?${search}` : url.pathname;
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
