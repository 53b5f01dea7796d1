// Writing an audit entry. Always called inside the transaction of the change it records, so an
// entry exists exactly when the change committed.
import type { Queryable } from '../db';
import { auditLog, type AuditAction } from '../db/schema';

export type AuditDetails = Record<string, string | number | boolean | null>;

export interface AuditEntry {
	teamId: string;
	actorId: string;
	action: AuditAction;
	targetUserId?: string | null;
	targetEventId?: string | null;
	targetId?: string | null;
	/** Roles, counts, categories: never free text, contact details or tokens. */
	details?: AuditDetails;
}

export async function recordAudit(tx: Queryable, entry: AuditEntry): Promise<void> {
	await tx.insert(auditLog).values({
		teamId: entry.teamId,
		actorId: entry.actorId,
		action: entry.action,
		targetUserId: entry.targetUserId ?? null,
		targetEventId: entry.targetEventId ?? null,
		targetId: entry.targetId ?? null,
		details: entry.details ?? {}
	});
}
