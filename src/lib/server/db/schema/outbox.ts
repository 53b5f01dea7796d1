import { sql } from 'drizzle-orm';
import { check, index, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { userRef } from './auth';
import { eventRef } from './events';
import { createdAt } from './columns';

/**
 * Idempotency keys of the commands a phone may queue offline (its outbox): written in the
 * command's own transaction, so a key sent twice (a retry after a lost answer, two tabs
 * flushing together) is accepted once. No free text: the kind and the event only.
 */
export const outboxKeys = pgTable(
	'outbox_keys',
	{
		userId: userRef(),
		key: uuid('key').notNull(),
		kind: text('kind').notNull(),
		eventId: eventRef(),
		/** The row the command made (an incident, an announcement), for a repeat's answer. */
		resultId: uuid('result_id'),
		createdAt: createdAt()
	},
	(t) => [
		primaryKey({ name: 'outbox_keys_pk', columns: [t.userId, t.key] }),
		index('outbox_keys_event_idx').on(t.eventId),
		check(
			'outbox_keys_kind_known',
			sql`${t.kind} in ('check_in', 'check_out', 'incident', 'hand_in', 'hand_out', 'announcement')`
		)
	]
).enableRLS();
