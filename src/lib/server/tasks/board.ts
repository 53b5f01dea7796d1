// The task board: the shared rows per event and version (board-cache.ts) and each viewer's view.
import { asc, eq, sql } from 'drizzle-orm';
import { getDb, type Queryable } from '../db';
import { prepared } from '../db/reuse-built-queries';
import { agendaItems, eventGroups, groupMembers, realtimeTopicVersions } from '../db/schema';
import type { Actor } from '../teams/types';
import { readEventAccess, type AccessMemo } from '../events/access';
import { canLeadGroups, isOpen } from '../events/policy';
import type { BoardFilter, BoardGrouping } from '$lib/schemas/tasks';
import { boardTotals, byTime, matchesFilter } from '$lib/board-filter';
import type { TaskKind } from '$lib/task-kinds';
import { boardCachePerDb } from './board-cache';
import { noticesFor } from './notices';
import { tasksOfEvent, viewsOf, type ClaimTime, type TaskRow, type TaskView } from './views';

/** My claims among these rows (every task of the event: the overlaps look at all of them). */
function claimsOf(rows: readonly TaskRow[], userId: string): ClaimTime[] {
	return rows
		.filter((r) => r.signups?.some((s) => s.userId === userId && s.status === 'claimed'))
		.map((r) => ({ ...r.task, taskId: r.task.id }));
}

// The event's groups with their leaders: part of the shared board.
const groupsOfEvent = prepared((db) =>
	db
		.select({
			id: eventGroups.id,
			name: eventGroups.name,
			colour: eventGroups.colour,
			leaderId: eventGroups.leaderId
		})
		.from(eventGroups)
		.where(eq(eventGroups.eventId, sql.placeholder('eventId')))
		.orderBy(asc(eventGroups.createdAt), asc(eventGroups.id))
		.prepare('groups_of_event')
);

// The per-viewer part of the board that the shared rows do not say (they give my sign-ups, my
// overlaps and the groups I lead): the group I am in, read in one small query with the
// topic's version. The version comes first in the statement's snapshot, before the shared rows
// are read, so those are at least as new.
const viewerOfEvent = prepared((db) =>
	db
		.select({
			version: sql<string | number | null>`(
				select ${realtimeTopicVersions.version} from ${realtimeTopicVersions}
				where ${realtimeTopicVersions.topic} = ${sql.placeholder('topic')}
			)`,
			myGroupId: sql<string | null>`(
				select ${groupMembers.groupId} from ${groupMembers}
				where ${groupMembers.eventId} = ${sql.placeholder('eventId')}
					and ${groupMembers.userId} = ${sql.placeholder('userId')}
			)`
		})
		.from(sql`(select 1) as one`)
		.prepare('viewer_of_event')
);

interface SharedBoard {
	rows: TaskRow[];
	groups: { id: string; name: string; colour: string; leaderId: string | null }[];
}

const sharedBoards = boardCachePerDb<SharedBoard>();

/** The board's shared part at `version` or newer: one read per event and version. */
function sharedBoard(db: Queryable, eventId: string, version: number): Promise<SharedBoard> {
	return sharedBoards(db).get(eventId, version, async () => {
		const [rows, groups] = await Promise.all([
			tasksOfEvent(db).execute({ eventId }),
			groupsOfEvent(db).execute({ eventId })
		]);
		return { rows, groups };
	});
}

/** Shared-board reads served from the cache and from the database (tests, bench). */
export function boardCacheStats(): { hits: number; loads: number; events: number } {
	return sharedBoards(getDb()).stats();
}

export interface BoardOptions {
	filter?: BoardFilter;
	by?: BoardGrouping;
	/** Only tasks of this kind (null: every kind). */
	kind?: TaskKind | null;
	now?: Date;
	/** The request's memo of access checks, shared with the event's layout. */
	memo?: AccessMemo;
	/** Only these cards (a live board fetching what a hint could not say): no run of show. */
	ids?: readonly string[];
}

/** The most cards a live board asks for at once (a hint names at most 50 ids). */
export const MAX_CARD_IDS = 50;

export async function getTaskBoard(
	actor: Actor,
	teamId: string,
	eventId: string,
	options: BoardOptions = {}
) {
	const db = getDb();
	const now = options.now ?? new Date();
	const access = await readEventAccess(actor, teamId, eventId, options.memo);
	const cardsOnly = options.ids !== undefined;
	const [[viewer], notices] = await Promise.all([
		viewerOfEvent(db).execute({ topic: `event:${eventId}`, eventId, userId: actor.userId }),
		// Notices too: a card fetched because someone moved me comes with what I am told.
		noticesFor(db, actor, eventId)
	]);
	// Read before the cards: they are at least as new as this version, so a live board that
	// starts from it misses no hint (one it applies twice changes nothing).
	const version = Number(viewer?.version ?? 0);
	const myGroupId = viewer?.myGroupId ?? null;
	const shared = await sharedBoard(db, eventId, version);
	const groups = shared.groups.map((g) => ({ id: g.id, name: g.name, colour: g.colour }));
	const ledGroupIds = canLeadGroups(access.role)
		? shared.groups.filter((g) => g.leaderId === actor.userId).map((g) => g.id)
		: [];
	const who = { isCaptain: access.isCaptain, ledGroupIds };
	const open = isOpen(access.event.status);
	const canCreate = open && (access.isCaptain || ledGroupIds.length > 0);
	const only = options.ids && new Set(options.ids);
	const rows = only ? shared.rows.filter((r) => only.has(r.task.id)) : shared.rows;
	const loadedTasks = viewsOf(
		rows,
		actor,
		access.event,
		who,
		now,
		claimsOf(shared.rows, actor.userId)
	);
	// The run of show is only offered in the form that creates a task.
	const agenda =
		canCreate && !cardsOnly
			? await db
					.select({
						id: agendaItems.id,
						title: agendaItems.title,
						startTime: agendaItems.startTime
					})
					.from(agendaItems)
					.where(eq(agendaItems.eventId, eventId))
					.orderBy(asc(agendaItems.startTime))
			: [];
	// Time order, then title: the live board sorts with the same function.
	const all = loadedTasks.sort(byTime);
	const filter = options.filter ?? 'all';
	const kind = options.kind ?? null;
	const visible = all.filter((t) => matchesFilter(t, filter, myGroupId, kind));
	return {
		event: access.event,
		version,
		isOpen: open,
		canCreate,
		isCaptain: access.isCaptain,
		filter,
		by: options.by ?? 'time',
		kind,
		hasGroup: myGroupId !== null,
		myGroupId,
		tasks: visible,
		/** Every task, whatever the filter: a live board keeps them all (totals, filters). */
		all,
		totals: boardTotals(all),
		// Leaders create tasks only for their own groups.
		groups: access.isCaptain ? groups : groups.filter((g) => ledGroupIds.includes(g.id)),
		allGroups: groups,
		agenda,
		notices
	};
}

/** What a task's card on the board shows: no waitlist names, no ids of the claimants. */
export type BoardCard = Pick<
	TaskView,
	| 'id'
	| 'kind'
	| 'title'
	| 'place'
	| 'group'
	| 'date'
	| 'startTime'
	| 'endTime'
	| 'capacity'
	| 'taken'
	| 'waiting'
	| 'signupOpensAt'
	| 'isOpenForSignup'
	| 'mine'
	| 'overlapsMine'
	| 'readiness'
> & {
	claimantNames: string[];
};

/** Written out field by field: every board load makes one per task. */
export function toBoardCard(task: TaskView): BoardCard {
	return {
		id: task.id,
		kind: task.kind,
		title: task.title,
		place: task.place,
		group: task.group,
		date: task.date,
		startTime: task.startTime,
		endTime: task.endTime,
		capacity: task.capacity,
		taken: task.taken,
		waiting: task.waiting,
		signupOpensAt: task.signupOpensAt,
		isOpenForSignup: task.isOpenForSignup,
		mine: task.mine,
		overlapsMine: task.overlapsMine,
		readiness: task.readiness,
		claimantNames: task.claimants.map((c) => c.displayName)
	};
}
