// Reads of the task board, one task's page, "My day" and the event page's performance states.
import { and, asc, desc, eq, gte, inArray, isNull, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { getDb, type Queryable } from '../db';
import { prepared } from '../prepared';
import {
	agendaItemGroups,
	agendaItems,
	eventGroups,
	events,
	groupMembers,
	realtimeTopicVersions,
	performanceItems,
	rehearsals,
	taskNotices,
	taskSignups,
	tasks,
	teamMembers,
	users
} from '../db/schema';
import { NotFound } from '../errors';
import { parseInput } from '../validate';
import type { Actor } from '../teams/types';
import { readEventAccess, requireEvent, type AccessMemo, type EventRow } from '../events/access';
import { canLeadGroups, isOpen } from '../events/policy';
import { listCaptains } from '../events/queries';
import { idSchema } from '$lib/schemas/common';
import type { BoardFilter, BoardGrouping } from '$lib/schemas/tasks';
import { boardTotals, byTime, matchesFilter } from '$lib/board-filter';
import type { NoticeKind, Readiness, TaskKind } from '$lib/task-kinds';
import { ledGroupsOf } from './access';
import { canManageTask, nextReadiness, overlaps } from './policy';
import { boardCachePerDb } from './board-cache';

type Person = { userId: string; displayName: string };

export interface TaskView {
	id: string;
	kind: TaskKind;
	title: string;
	description: string | null;
	place: string | null;
	group: { id: string; name: string; colour: string } | null;
	date: string;
	startTime: string;
	endTime: string;
	capacity: number;
	taken: number;
	waiting: number;
	signupOpensAt: Date | null;
	isOpenForSignup: boolean;
	claimants: Person[];
	waitlist: (Person & { position: number })[];
	mine: { status: 'claimed' | 'waiting'; position: number | null } | null;
	/** Another of my claims in this event at an overlapping time. */
	overlapsMine: boolean;
	canManage: boolean;
	readiness: Readiness;
}

export interface NoticeView {
	id: string;
	kind: NoticeKind;
	taskId: string | null;
	taskTitle: string | null;
	subjectName: string | null;
	createdAt: Date;
}

// The board's reads run on every load of it: built once per database (see ../prepared.ts).
const unreadNotices = prepared((db) => {
	const subject = alias(users, 'subject');
	return db
		.select({
			id: taskNotices.id,
			kind: taskNotices.kind,
			taskId: taskNotices.taskId,
			taskTitle: tasks.title,
			subjectName: subject.displayName,
			createdAt: taskNotices.createdAt
		})
		.from(taskNotices)
		.leftJoin(tasks, eq(tasks.id, taskNotices.taskId))
		.leftJoin(subject, eq(subject.id, taskNotices.subjectId))
		.where(
			and(
				eq(taskNotices.userId, sql.placeholder('userId')),
				eq(taskNotices.eventId, sql.placeholder('eventId')),
				isNull(taskNotices.readAt)
			)
		)
		.orderBy(desc(taskNotices.createdAt))
		.limit(20)
		.prepare('unread_notices');
});

async function noticesFor(db: Queryable, actor: Actor, eventId: string): Promise<NoticeView[]> {
	return unreadNotices(db).execute({ userId: actor.userId, eventId }) as Promise<NoticeView[]>;
}

interface SignupRow {
	taskId: string;
	userId: string;
	displayName: string;
	status: 'claimed' | 'waiting';
	position: number | null;
}

// Each task with its group and its active signups (claimed, waiting) in their order, in one
// query: in embedded mode every query is a round of PGlite's WebAssembly on the event loop.
const taskRows = (db: Queryable) =>
	db
		.select({
			task: tasks,
			group: { id: eventGroups.id, name: eventGroups.name, colour: eventGroups.colour },
			signups: sql<SignupRow[] | null>`(
				select json_agg(json_build_object(
					'taskId', s.task_id, 'userId', s.user_id, 'displayName', u.display_name,
					'status', s.status, 'position', s.position
				) order by s.position, s.claimed_at, s.id)
				from ${taskSignups} s join ${users} u on u.id = s.user_id
				where s.task_id = ${tasks.id} and s.status in ('claimed', 'waiting')
			)`
		})
		.from(tasks)
		.leftJoin(eventGroups, eq(eventGroups.id, tasks.groupId));

const tasksOfEvent = prepared((db) =>
	taskRows(db)
		.where(eq(tasks.eventId, sql.placeholder('eventId')))
		.orderBy(asc(tasks.date), asc(tasks.startTime), asc(tasks.createdAt), asc(tasks.id))
		.prepare('tasks_of_event')
);

type TaskRow = Awaited<ReturnType<ReturnType<typeof tasksOfEvent>['execute']>>[number];
type ClaimTime = { taskId: string; date: string; startTime: string; endTime: string };

/** A task's view for one viewer: the shared row plus mine, my overlaps and what I may manage. */
function viewsOf(
	rows: readonly TaskRow[],
	actor: Actor,
	event: EventRow,
	who: { isCaptain: boolean; ledGroupIds: string[] },
	now: Date,
	myClaims: readonly ClaimTime[]
): TaskView[] {
	return rows.map(({ task, group, signups }): TaskView => {
		const of = signups ?? [];
		const mine = of.find((s) => s.userId === actor.userId);
		return {
			id: task.id,
			kind: task.kind as TaskKind,
			title: task.title,
			description: task.description,
			place: task.place,
			group: group?.id ? group : null,
			date: task.date,
			startTime: task.startTime,
			endTime: task.endTime,
			capacity: task.capacity,
			taken: task.taken,
			waiting: task.waiting,
			signupOpensAt: task.signupOpensAt,
			isOpenForSignup: !task.signupOpensAt || task.signupOpensAt.getTime() <= now.getTime(),
			claimants: of
				.filter((s) => s.status === 'claimed')
				.map((s) => ({ userId: s.userId, displayName: s.displayName })),
			waitlist: of
				.filter((s) => s.status === 'waiting')
				.map((s) => ({ userId: s.userId, displayName: s.displayName, position: s.position ?? 0 })),
			mine: mine ? { status: mine.status as 'claimed' | 'waiting', position: mine.position } : null,
			overlapsMine: myClaims.some((c) => c.taskId !== task.id && overlaps(c, task)),
			canManage: isOpen(event.status) && canManageTask(who, task.groupId),
			readiness: task.readiness as Readiness
		};
	});
}

/** My claims among these rows (every task of the event: the overlaps look at all of them). */
function claimsOf(rows: readonly TaskRow[], userId: string): ClaimTime[] {
	return rows
		.filter((r) => r.signups?.some((s) => s.userId === userId && s.status === 'claimed'))
		.map((r) => ({ ...r.task, taskId: r.task.id }));
}

/** Some tasks of the event, read now (one task's page), with my claims for their overlaps. */
async function loadTasks(
	db: Queryable,
	actor: Actor,
	event: EventRow,
	who: { isCaptain: boolean; ledGroupIds: string[] },
	now: Date,
	only: readonly string[]
): Promise<TaskView[]> {
	if (only.length === 0) return [];
	const [rows, myClaims] = await Promise.all([
		taskRows(db)
			.where(and(eq(tasks.eventId, event.id), inArray(tasks.id, [...only])))
			.orderBy(asc(tasks.date), asc(tasks.startTime), asc(tasks.createdAt), asc(tasks.id)),
		db
			.select({
				taskId: tasks.id,
				date: tasks.date,
				startTime: tasks.startTime,
				endTime: tasks.endTime
			})
			.from(taskSignups)
			.innerJoin(tasks, eq(tasks.id, taskSignups.taskId))
			.where(
				and(
					eq(taskSignups.eventId, event.id),
					eq(taskSignups.userId, actor.userId),
					eq(taskSignups.status, 'claimed')
				)
			)
	]);
	return viewsOf(rows, actor, event, who, now, myClaims);
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

const BOARD_CARD_FIELDS = [
	'id',
	'kind',
	'title',
	'place',
	'group',
	'date',
	'startTime',
	'endTime',
	'capacity',
	'taken',
	'waiting',
	'signupOpensAt',
	'isOpenForSignup',
	'mine',
	'overlapsMine',
	'readiness'
] as const satisfies readonly (keyof TaskView)[];

/** What a task's card on the board shows: no waitlist names, no ids of the claimants. */
export type BoardCard = Pick<TaskView, (typeof BOARD_CARD_FIELDS)[number]> & {
	claimantNames: string[];
};

export function toBoardCard(task: TaskView): BoardCard {
	const card = Object.fromEntries(BOARD_CARD_FIELDS.map((f) => [f, task[f]])) as Pick<
		TaskView,
		(typeof BOARD_CARD_FIELDS)[number]
	>;
	return { ...card, claimantNames: task.claimants.map((c) => c.displayName) };
}

/** One task with its management and, for a performance, its preparation. */
export async function getTaskDetail(
	actor: Actor,
	teamId: string,
	eventId: string,
	taskId: string,
	now: Date = new Date()
) {
	parseInput(idSchema, taskId);
	const db = getDb();
	const access = await requireEvent(db, actor, teamId, eventId);
	const ledGroupIds = await ledGroupsOf(db, access, actor);
	const [task] = await loadTasks(
		db,
		actor,
		access.event,
		{ isCaptain: access.isCaptain, ledGroupIds },
		now,
		[taskId]
	);
	if (!task) throw new NotFound('tasks_error_not_found');
	const [row] = await db
		.select({
			agendaItemId: tasks.agendaItemId,
			approvedAt: tasks.approvedAt,
			approvedByName: users.displayName
		})
		.from(tasks)
		.leftJoin(users, eq(users.id, tasks.approvedBy))
		.where(eq(tasks.id, taskId));
	const bringer = alias(users, 'bringer');
	const author = alias(users, 'author');
	const [items, log, members, groups, agenda] = await Promise.all([
		db
			.select({
				id: performanceItems.id,
				item: performanceItems.item,
				bringerId: performanceItems.bringerId,
				bringerName: bringer.displayName,
				isDone: performanceItems.isDone
			})
			.from(performanceItems)
			.leftJoin(bringer, eq(bringer.id, performanceItems.bringerId))
			.where(eq(performanceItems.taskId, taskId))
			.orderBy(asc(performanceItems.createdAt)),
		db
			.select({
				id: rehearsals.id,
				date: rehearsals.date,
				note: rehearsals.note,
				authorName: author.displayName
			})
			.from(rehearsals)
			.leftJoin(author, eq(author.id, rehearsals.authorId))
			.where(eq(rehearsals.taskId, taskId))
			.orderBy(desc(rehearsals.date), desc(rehearsals.createdAt)),
		db
			.select({ userId: users.id, displayName: users.displayName })
			.from(teamMembers)
			.innerJoin(users, eq(users.id, teamMembers.userId))
			.where(eq(teamMembers.teamId, teamId))
			.orderBy(asc(users.displayName)),
		db
			.select({ id: eventGroups.id, name: eventGroups.name, colour: eventGroups.colour })
			.from(eventGroups)
			.where(eq(eventGroups.eventId, eventId))
			.orderBy(asc(eventGroups.createdAt), asc(eventGroups.id)),
		db
			.select({ id: agendaItems.id, title: agendaItems.title, startTime: agendaItems.startTime })
			.from(agendaItems)
			.where(eq(agendaItems.eventId, eventId))
			.orderBy(asc(agendaItems.startTime))
	]);
	const open = isOpen(access.event.status);
	const isApprover =
		open && canManageTask({ isCaptain: access.isCaptain, ledGroupIds }, task.group?.id ?? null);
	const isContributor = open && (isApprover || task.mine?.status === 'claimed');
	return {
		event: access.event,
		isOpen: open,
		task: { ...task, agendaItemId: row.agendaItemId },
		approval: row.approvedAt ? { at: row.approvedAt, by: row.approvedByName } : null,
		isApprover,
		isContributor,
		nextReadiness:
			task.kind === 'performance'
				? nextReadiness(task.readiness, { isApprover, isContributor })
				: [],
		items: items.map((i) => ({
			...i,
			canTick: open && (isContributor || i.bringerId === actor.userId)
		})),
		rehearsals: log,
		members: isContributor ? members : [],
		groups: access.isCaptain ? groups : groups.filter((g) => ledGroupIds.includes(g.id)),
		agenda
	};
}

export interface PerformanceState {
	taskId: string;
	title: string;
	group: { name: string; colour: string } | null;
	readiness: Readiness;
}

/** Each group's performances and how ready they are, for the event's overview page. */
export async function listPerformanceStates(
	actor: Actor,
	teamId: string,
	eventId: string
): Promise<PerformanceState[]> {
	const db = getDb();
	await requireEvent(db, actor, teamId, eventId);
	const rows = await db
		.select({
			taskId: tasks.id,
			title: tasks.title,
			groupName: eventGroups.name,
			groupColour: eventGroups.colour,
			readiness: tasks.readiness
		})
		.from(tasks)
		.leftJoin(eventGroups, eq(eventGroups.id, tasks.groupId))
		.where(and(eq(tasks.eventId, eventId), eq(tasks.kind, 'performance')))
		.orderBy(asc(eventGroups.createdAt), asc(tasks.startTime), asc(tasks.id));
	return rows.map((r) => ({
		taskId: r.taskId,
		title: r.title,
		group: r.groupName && r.groupColour ? { name: r.groupName, colour: r.groupColour } : null,
		readiness: r.readiness as Readiness
	}));
}

/**
 * "My day": the volunteer's group and its leader's phone, their tasks with times and places,
 * the meeting point and the run of show (the whole team's items and their group's).
 */
export async function getMyDay(actor: Actor, teamId: string, eventId: string) {
	const db = getDb();
	const access = await requireEvent(db, actor, teamId, eventId);
	const leader = alias(users, 'leader');
	const [group] = await db
		.select({
			id: eventGroups.id,
			name: eventGroups.name,
			colour: eventGroups.colour,
			leaderName: leader.displayName,
			leaderPhone: leader.phone
		})
		.from(groupMembers)
		.innerJoin(eventGroups, eq(eventGroups.id, groupMembers.groupId))
		.leftJoin(leader, eq(leader.id, eventGroups.leaderId))
		.where(and(eq(groupMembers.eventId, eventId), eq(groupMembers.userId, actor.userId)));
	const [mine, agenda, links, captains, notices] = await Promise.all([
		db
			.select({
				id: tasks.id,
				title: tasks.title,
				kind: tasks.kind,
				date: tasks.date,
				startTime: tasks.startTime,
				endTime: tasks.endTime,
				place: tasks.place,
				agendaPlace: agendaItems.place,
				status: taskSignups.status,
				position: taskSignups.position
			})
			.from(taskSignups)
			.innerJoin(tasks, eq(tasks.id, taskSignups.taskId))
			.leftJoin(agendaItems, eq(agendaItems.id, tasks.agendaItemId))
			.where(
				and(
					eq(taskSignups.eventId, eventId),
					eq(taskSignups.userId, actor.userId),
					inArray(taskSignups.status, ['claimed', 'waiting'])
				)
			)
			.orderBy(asc(tasks.date), asc(tasks.startTime)),
		db
			.select({
				id: agendaItems.id,
				startTime: agendaItems.startTime,
				durationMinutes: agendaItems.durationMinutes,
				title: agendaItems.title,
				place: agendaItems.place
			})
			.from(agendaItems)
			.where(eq(agendaItems.eventId, eventId))
			.orderBy(asc(agendaItems.startTime), asc(agendaItems.createdAt)),
		db
			.select({ itemId: agendaItemGroups.itemId, groupId: agendaItemGroups.groupId })
			.from(agendaItemGroups)
			.where(eq(agendaItemGroups.eventId, eventId)),
		listCaptains(teamId),
		noticesFor(db, actor, eventId)
	]);
	const forMe = agenda.filter((item) => {
		const groupsOf = links.filter((l) => l.itemId === item.id).map((l) => l.groupId);
		return groupsOf.length === 0 || (group !== undefined && groupsOf.includes(group.id));
	});
	return {
		event: access.event,
		group: group ?? null,
		tasks: mine.map((t) => ({
			id: t.id,
			title: t.title,
			kind: t.kind as TaskKind,
			date: t.date,
			startTime: t.startTime,
			endTime: t.endTime,
			place: t.place ?? t.agendaPlace,
			status: t.status as 'claimed' | 'waiting',
			position: t.position
		})),
		agenda: forMe,
		captains,
		notices
	};
}

/**
 * The tasks a person holds a slot in, for their calendar: from a date on (the feed: events not
 * drafts), or of one event they may see (its download).
 */
export async function listClaimedTasksForFeed(
	userId: string,
	of: { fromDate: string } | { eventId: string }
) {
	return getDb()
		.select({
			id: tasks.id,
			title: tasks.title,
			date: tasks.date,
			startTime: tasks.startTime,
			endTime: tasks.endTime,
			place: tasks.place,
			eventId: events.id,
			teamId: events.teamId,
			eventTitle: events.title,
			eventStatus: events.status,
			timeZone: events.timeZone
		})
		.from(taskSignups)
		.innerJoin(tasks, eq(tasks.id, taskSignups.taskId))
		.innerJoin(events, eq(events.id, taskSignups.eventId))
		.innerJoin(
			teamMembers,
			and(eq(teamMembers.teamId, events.teamId), eq(teamMembers.userId, userId))
		)
		.where(
			and(
				eq(taskSignups.userId, userId),
				eq(taskSignups.status, 'claimed'),
				...('eventId' in of
					? [eq(taskSignups.eventId, of.eventId)]
					: [
							gte(tasks.date, of.fromDate),
							inArray(events.status, ['planned', 'confirmed', 'completed', 'cancelled'])
						])
			)
		)
		.orderBy(asc(tasks.date), asc(tasks.startTime))
		.limit(500);
}
