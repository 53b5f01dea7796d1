// The live board's narrow reads (./people): a hint's people, or the board alone for a resync.
// JSON carries times as text: they become Dates again, as the page's own load gives them.
import type { BoardPerson, PlacedPerson } from '$lib/attendance-board';
import type { AttendanceView } from '$lib/realtime/live-attendance';

type Wire<T> = { [K in keyof T]: T[K] extends Date | null ? string | null : T[K] };

const dateOf = (value: string | null) => (value === null ? null : new Date(value));

function personOf(p: Wire<BoardPerson>): BoardPerson {
	return { ...p, checkedInAt: dateOf(p.checkedInAt), checkedOutAt: dateOf(p.checkedOutAt) };
}

async function read<T>(url: string): Promise<T> {
	const response = await fetch(url, { credentials: 'same-origin' });
	if (!response.ok) throw new Error(`attendance people: ${response.status}`);
	return (await response.json()) as T;
}

export async function fetchPeople(
	url: string,
	ids: string[]
): Promise<{ version: number; people: PlacedPerson[] }> {
	const body = await read<{
		version: number;
		people: { place: PlacedPerson['place']; person: Wire<BoardPerson> }[];
	}>(`${url}&ids=${ids.join(',')}`);
	return {
		version: body.version,
		people: body.people.map(({ place, person }) => ({ place, person: personOf(person) }))
	};
}

export async function fetchBoard(url: string): Promise<AttendanceView> {
	const body = await read<
		Omit<AttendanceView, 'groups' | 'others'> & {
			groups: (Omit<AttendanceView['groups'][number], 'people'> & {
				people: Wire<BoardPerson>[];
			})[];
			others: Wire<BoardPerson>[];
		}
	>(url);
	return {
		version: body.version,
		session: body.session,
		totals: body.totals,
		unplaced: body.unplaced,
		groups: body.groups.map((g) => ({ ...g, people: g.people.map(personOf) })),
		others: body.others.map(personOf)
	};
}
