// Which cards the task board's filter shows, and the board's totals: one rule for the server
// (the page without JavaScript) and the live board in the browser (which keeps every card).
import type { BoardFilter } from '$lib/schemas/tasks';

interface FilterableCard {
	taken: number;
	capacity: number;
	waiting: number;
	mine: unknown;
	group: { id: string } | null;
}

export function matchesFilter(
	card: FilterableCard,
	filter: BoardFilter,
	myGroupId: string | null
): boolean {
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
