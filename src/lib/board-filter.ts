// Which cards the task board's filter shows, and the board's totals: one rule for the server
// (the page without JavaScript) and the live board in the browser (which keeps every card).
import type { BoardFilter } from '$lib/schemas/tasks';
import type { TaskKind } from '$lib/task-kinds';
import { minutesOf } from '$lib/time';

interface FilterableCard {
	taken: number;
	capacity: number;
	waiting: number;
	mine: unknown;
	group: { id: string } | null;
	kind: TaskKind;
}

export function matchesFilter(
	card: FilterableCard,
	filter: BoardFilter,
	myGroupId: string | null,
	kind: TaskKind | null = null
): boolean {
	if (kind !== null && card.kind !== kind) return false;
	if (filter === 'open') return card.taken < card.capacity;
	if (filter === 'mine') return card.mine !== null;
	if (filter === 'group') return myGroupId !== null && card.group?.id === myGroupId;
	return true;
}

export function boardTotals(cards: readonly FilterableCard[]) {
	return {
		tasks: cards.length,
		taken: cards.reduce((n, t) => n + t.taken, 0),
		capacity: cards.reduce((n, t) => n + t.capacity, 0),
		waiting: cards.reduce((n, t) => n + t.waiting, 0)
	};
}

interface TimedCard {
	date: string;
	startTime: string;
	title: string;
	id: string;
}

// Built once: `localeCompare(…, 'zh-CN')` looks the collator up again on every call.
const titleOrder = new Intl.Collator('zh-CN');

/** Code-unit order: dates, times and ids are ASCII of a fixed shape. */
const ascii = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The board's order: by day and start time, then by title (the same on server and live board). */
export function byTime(a: TimedCard, b: TimedCard): number {
	return (
		ascii(a.date, b.date) ||
		ascii(a.startTime, b.startTime) ||
		titleOrder.compare(a.title, b.title) ||
		ascii(a.id, b.id)
	);
}

export interface Window {
	date: string;
	startTime: string;
	endTime: string;
}

/** Two time windows share a minute (touching ends do not overlap). */
export function overlaps(a: Window, b: Window): boolean {
	return (
		a.date === b.date &&
		minutesOf(a.startTime) < minutesOf(b.endTime) &&
		minutesOf(b.startTime) < minutesOf(a.endTime)
	);
}

/**
 * For each card, the titles of my other claimed cards at an overlapping time: both cards of an
 * overlapping pair say so, before and after the second claim.
 */
export function overlapsOfMine<T extends Window & TimedCard & { mine: { status: string } | null }>(
	cards: readonly T[]
): Map<string, string[]> {
	const claimed = cards.filter((c) => c.mine?.status === 'claimed');
	const result = new Map<string, string[]>();
	for (const card of cards) {
		const titles = claimed.filter((c) => c.id !== card.id && overlaps(c, card)).map((c) => c.title);
		if (titles.length > 0) result.set(card.id, titles);
	}
	return result;
}
