import { asc, desc, eq, sql } from 'drizzle-orm';
import { getDb, type Queryable } from '../db';
import { fundingBudgets, fundingEntries, sponsors, users } from '../db/schema';
import type { Actor } from '../teams/types';
import { requireCaptain, requireEvent, type EventRow } from '../events/access';
import { eventRead } from '../events/scope';
import {
	CATEGORIES_OF,
	LEDGER_DIRECTIONS,
	type LedgerCategory,
	type LedgerDirection
} from '$lib/donation-kinds';

export interface CategoryLine {
	direction: LedgerDirection;
	category: LedgerCategory;
	actualFen: number;
	budgetFen: number | null;
}

export interface FundingTotals {
	incomeFen: number;
	expenseFen: number;
	balanceFen: number;
	/** Every category of both directions, in a fixed order, with its budget if one is set. */
	lines: CategoryLine[];
}

export interface LedgerEntry {
	id: string;
	direction: LedgerDirection;
	category: LedgerCategory;
	amountFen: number;
	occurredOn: string;
	note: string | null;
	receiptRef: string | null;
	createdBy: string | null;
	createdByName: string | null;
}

export interface Sponsor {
	id: string;
	name: string;
	thanks: string;
}

export interface FundingPage {
	event: EventRow;
	isCaptain: boolean;
	totals: FundingTotals;
	/** The entries themselves: captains only; the team sees the totals. */
	entries: LedgerEntry[] | null;
	sponsors: Sponsor[];
}

/** Sums in SQL over integer fen (as bigint, so no overflow), compared per category. */
export async function fundingTotals(db: Queryable, eventId: string): Promise<FundingTotals> {
	const sums = await db
		.select({
			direction: fundingEntries.direction,
			category: fundingEntries.category,
			total: sql<number>`sum(${fundingEntries.amountFen})::int8`
		})
		.from(fundingEntries)
		.where(eq(fundingEntries.eventId, eventId))
		.groupBy(fundingEntries.direction, fundingEntries.category);
	const budgets = await db.select().from(fundingBudgets).where(eq(fundingBudgets.eventId, eventId));
	const lines = LEDGER_DIRECTIONS.flatMap((direction) =>
		CATEGORIES_OF[direction].map((category) => ({
			direction,
			category,
			actualFen: Number(
				sums.find((s) => s.direction === direction && s.category === category)?.total ?? 0
			),
			budgetFen:
				budgets.find((b) => b.direction === direction && b.category === category)?.amountFen ?? null
		}))
	);
	const sum = (d: LedgerDirection) =>
		lines.filter((l) => l.direction === d).reduce((total, l) => total + l.actualFen, 0);
	const incomeFen = sum('income');
	const expenseFen = sum('expense');
	return { incomeFen, expenseFen, balanceFen: incomeFen - expenseFen, lines };
}

export async function listSponsors(db: Queryable, eventId: string): Promise<Sponsor[]> {
	return db
		.select({ id: sponsors.id, name: sponsors.name, thanks: sponsors.thanks })
		.from(sponsors)
		.where(eq(sponsors.eventId, eventId))
		.orderBy(asc(sponsors.createdAt), asc(sponsors.id));
}

export async function ledgerEntries(db: Queryable, eventId: string): Promise<LedgerEntry[]> {
	const rows = await db
		.select({ entry: fundingEntries, createdByName: users.displayName })
		.from(fundingEntries)
		.leftJoin(users, eq(users.id, fundingEntries.createdBy))
		.where(eq(fundingEntries.eventId, eventId))
		.orderBy(desc(fundingEntries.occurredOn), desc(fundingEntries.createdAt));
	return rows.map(({ entry: e, createdByName }) => ({
		id: e.id,
		direction: e.direction as LedgerDirection,
		category: e.category as LedgerCategory,
		amountFen: e.amountFen,
		occurredOn: e.occurredOn,
		note: e.note,
		receiptRef: e.receiptRef,
		createdBy: e.createdBy,
		createdByName
	}));
}

export const getFunding = eventRead(async (db, access, { eventId }): Promise<FundingPage> => {
	return {
		event: access.event,
		isCaptain: access.isCaptain,
		totals: await fundingTotals(db, eventId),
		entries: access.isCaptain ? await ledgerEntries(db, eventId) : null,
		sponsors: await listSponsors(db, eventId)
	};
});

/** For the ledger export: the same check as the page's entries. */
export async function requireLedgerReader(
	actor: Actor,
	teamId: string,
	eventId: string
): Promise<EventRow> {
	const access = await requireEvent(getDb(), actor, teamId, eventId);
	requireCaptain(access);
	return access.event;
}
