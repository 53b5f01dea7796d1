// The attendance board's shape and rules shared by the server that builds it
// (src/lib/server/attendance/board.ts) and the page that keeps it live between loads
// (src/lib/realtime/live-attendance.ts): who counts as here, the order of a group's people,
// and the headline. Plain TypeScript, no SvelteKit.

export interface BoardPerson {
	userId: string;
	displayName: string;
	checkedInAt: Date | null;
	checkedOutAt: Date | null;
	isLate: boolean;
	/** The viewer may check this person in or out by hand. */
	canMark: boolean;
}

export interface BoardGroup {
	id: string | null;
	name: string;
	colour: string;
	expected: number;
	present: number;
	people: BoardPerson[];
}

export interface BoardTotals {
	expected: number;
	arrived: number;
	late: number;
	left: number;
	outsideGroups: number;
}

/** Where a person shows on the board: a group, "here but in no group", or (captains) unplaced. */
export type Place = { group: string } | 'others' | 'unplaced';

/** A person's row in one place of the board, as the narrow read gives it. */
export interface PlacedPerson {
	place: Place;
	person: BoardPerson;
}

export const isHere = (p: BoardPerson) => p.checkedInAt !== null && p.checkedOutAt === null;

/** Not here yet first (who is missing is what a leader looks for), then by name. */
export const orderPeople = (a: BoardPerson, b: BoardPerson) =>
	Number(isHere(a)) - Number(isHere(b)) || a.displayName.localeCompare(b.displayName);

/**
 * The board's headline, each person counted once (a leader of two groups is one person):
 * - expected: the people of the event's groups (members and leaders);
 * - arrived: those of them here now (checked in, not checked out);
 * - late: those arrived who checked in after the session's start + the grace minutes (someone
 *   who came late and has left is counted under left, not late);
 * - left: everyone who checked in and then out (grouped or not);
 * - outsideGroups: people here now who are in no group (listed apart, not in arrived).
 */
export function boardTotals(groups: BoardGroup[], others: BoardPerson[]): BoardTotals {
	const grouped = new Map(groups.flatMap((g) => g.people.map((p) => [p.userId, p] as const)));
	const arrived = [...grouped.values()].filter(isHere);
	return {
		expected: grouped.size,
		arrived: arrived.length,
		late: arrived.filter((p) => p.isLate).length,
		left: [...grouped.values(), ...others].filter((p) => p.checkedOutAt !== null).length,
		outsideGroups: others.filter(isHere).length
	};
}
