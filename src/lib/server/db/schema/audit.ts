import { sql } from 'drizzle-orm';
import { check, index, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { userOrNull } from './auth';
import { teamRef } from './teams';
import { events } from './events';
import { AUDIT_ACTIONS } from '../../../audit-actions';
import { INSERT_ORDER, instant, id, oneOf } from './columns';

export { AUDIT_ACTIONS, type AuditAction } from '../../../audit-actions';

/**
 * What captains did to the team's people and links, written in the same transaction as the
 * change. Details are small structured values (roles, counts, categories): never free text,
 * contact details or tokens.
 */
export const auditLog = pgTable(
	'audit_log',
	{
		id: id(),
		teamId: teamRef(),
		/** Who acted. Users are never deleted (a deleted account is a tombstone row). */
		actorId: userOrNull('actor_id'),
		action: text('action').notNull(),
		targetUserId: userOrNull('target_user_id'),
		targetEventId: uuid('target_event_id').references(() => events.id, { onDelete: 'set null' }),
		/** An invite or incident id; no foreign key, so the entry outlives what it names. */
		targetId: uuid('target_id'),
		details: jsonb('details')
			.$type<Record<string, string | number | boolean | null>>()
			.notNull()
			.default({}),
		at: instant('at').notNull().default(INSERT_ORDER)
	},
	(t) => [
		index('audit_log_team_at_idx').on(t.teamId, t.at, t.id),
		check('audit_log_action_known', oneOf('action', AUDIT_ACTIONS)),
		check(
			'audit_log_details_small_object',
			sql`jsonb_typeof(${t.details}) = 'object' and length(${t.details}::text) <= 500`
		)
	]
).enableRLS();
