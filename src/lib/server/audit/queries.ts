// The team's audit log, newest first, for its captains only: a non-member learns nothing
// (404, like every team URL), any other member is refused (403).
import { and, desc, eq } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { getDb } from '../db';
import { auditLog, events, teams, users, type AuditAction } from '../db/schema';
import { Forbidden } from '../errors';
import { requireMembership } from '../teams/queries';
import { canManageMembers } from '../teams/policy';
import type { Actor } from '../teams/types';
import type { AuditDetails } from './commands';

export const AUDIT_PAGE_SIZE = 30;
/** Pages beyond this are refused as input, not queried (an offset is read row by row). */
export const MAX_AUDIT_PAGE = 1000;

export interface AuditPerson {
	id: string;
	/** Null when the account was deleted: the page shows "deleted user" in the reader's language. */
	displayName: string | null;
}

export interface AuditView {
	id: string;
	at: Date;
	action: AuditAction;
	actor: AuditPerson | null;
	targetUser: AuditPerson | null;
	targetEvent: { id: string; title: string } | null;
	targetId: string | null;
	details: AuditDetails;
}

export interface AuditPage {
	teamName: string;
	entries: AuditView[];
	page: number;
	hasNext: boolean;
}

/** `page` as it came from the URL: anything but a whole number 1..MAX is page 1. */
export function parsePage(value: string | null): number {
	if (!value || !/^\d{1,4}$/.test(value)) return 1;
	const n = Number(value);
	return n >= 1 && n <= MAX_AUDIT_PAGE ? n : 1;
}

function person(
	id: string | null,
	name: string | null,
	deletedAt: Date | null
): AuditPerson | null {
	if (!id) return null;
	return { id, displayName: deletedAt ? null : name };
}

export async function listAudit(actor: Actor, teamId: string, page = 1): Promise<AuditPage> {
	const db = getDb();
	const me = await requireMembership(db, teamId, actor);
	if (!canManageMembers(me.role)) throw new Forbidden('audit_error_captains_only');
	const [team] = await db.select({ name: teams.name }).from(teams).where(eq(teams.id, teamId));
	const who = alias(users, 'who');
	const whom = alias(users, 'whom');
	const rows = await db
		.select({
			id: auditLog.id,
			at: auditLog.at,
			action: auditLog.action,
			actorId: auditLog.actorId,
			actorName: who.displayName,
			actorDeletedAt: who.deletedAt,
			targetUserId: auditLog.targetUserId,
			targetName: whom.displayName,
			targetDeletedAt: whom.deletedAt,
			eventId: events.id,
			eventTitle: events.title,
			targetId: auditLog.targetId,
			details: auditLog.details
		})
		.from(auditLog)
		.leftJoin(who, eq(who.id, auditLog.actorId))
		.leftJoin(whom, eq(whom.id, auditLog.targetUserId))
		// The event must still be this team's (it always is; the join says so anyway).
		.leftJoin(events, and(eq(events.id, auditLog.targetEventId), eq(events.teamId, teamId)))
		.where(eq(auditLog.teamId, teamId))
		.orderBy(desc(auditLog.at), desc(auditLog.id))
		.limit(AUDIT_PAGE_SIZE + 1)
		.offset((page - 1) * AUDIT_PAGE_SIZE);
	const entries = rows.slice(0, AUDIT_PAGE_SIZE).map((r) => ({
		id: r.id,
		at: r.at,
		action: r.action as AuditAction,
		actor: person(r.actorId, r.actorName, r.actorDeletedAt),
		targetUser: person(r.targetUserId, r.targetName, r.targetDeletedAt),
		targetEvent: r.eventId && r.eventTitle ? { id: r.eventId, title: r.eventTitle } : null,
		targetId: r.targetId,
		details: r.details
	}));
	return { teamName: team?.name ?? '', entries, page, hasNext: rows.length > AUDIT_PAGE_SIZE };
}
