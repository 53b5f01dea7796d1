import { sql } from 'drizzle-orm';
import { check, index, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import {
	INCIDENT_CATEGORIES,
	INCIDENT_SEVERITIES,
	type IncidentCategory,
	type IncidentSeverity
} from '../../../incident-kinds';
import { users } from './auth';
import { events } from './events';
import { eventGroups } from './groups';

export const incidentCategory = pgEnum('incident_category', INCIDENT_CATEGORIES);
export const incidentSeverity = pgEnum('incident_severity', INCIDENT_SEVERITIES);
export type { IncidentCategory, IncidentSeverity };

export const incidentStatus = pgEnum('incident_status', ['open', 'acknowledged', 'resolved']);
export type IncidentStatus = (typeof incidentStatus.enumValues)[number];

/**
 * Problems reported on the day. The free text (description, place, resolution) is erased a set
 * time after the event (`erased_at`); the row stays so that counts remain.
 */
export const incidents = pgTable(
	'incidents',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		eventId: uuid('event_id')
			.notNull()
			.references(() => events.id, { onDelete: 'cascade' }),
		reporterId: uuid('reporter_id').references(() => users.id, { onDelete: 'set null' }),
		category: incidentCategory('category').notNull(),
		severity: incidentSeverity('severity').notNull(),
		description: text('description'),
		place: text('place'),
		groupId: uuid('group_id').references(() => eventGroups.id, { onDelete: 'set null' }),
		status: incidentStatus('status').notNull().default('open'),
		/** When the report was received (and escalation counts from). */
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		/**
		 * When the reporter pressed send: the phone's clock for a report queued offline, bounded
		 * to at most `created_at` and not before it by more than the offline limit.
		 */
		reportedAt: timestamp('reported_at', { withTimezone: true }).notNull().defaultNow(),
		acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true }),
		acknowledgedBy: uuid('acknowledged_by').references(() => users.id, { onDelete: 'set null' }),
		resolvedAt: timestamp('resolved_at', { withTimezone: true }),
		resolvedBy: uuid('resolved_by').references(() => users.id, { onDelete: 'set null' }),
		resolution: text('resolution'),
		erasedAt: timestamp('erased_at', { withTimezone: true })
	},
	(t) => [
		index('incidents_event_created_idx').on(t.eventId, t.createdAt),
		check(
			'incidents_description_length',
			sql`${t.description} is null or char_length(btrim(${t.description})) between 1 and 2000`
		),
		check('incidents_place_length', sql`${t.place} is null or char_length(${t.place}) <= 120`),
		check(
			'incidents_resolution_length',
			sql`${t.resolution} is null or char_length(${t.resolution}) <= 2000`
		),
		check('incidents_reported_before_received', sql`${t.reportedAt} <= ${t.createdAt}`),
		check(
			'incidents_text_or_erased',
			sql`${t.description} is not null or ${t.erasedAt} is not null`
		),
		// open → acknowledged → resolved: each later state carries the earlier one's stamp.
		check(
			'incidents_state_stamps',
			sql`(${t.status} = 'open' and ${t.acknowledgedAt} is null and ${t.resolvedAt} is null)
				or (${t.status} = 'acknowledged' and ${t.acknowledgedAt} is not null and ${t.resolvedAt} is null)
				or (${t.status} = 'resolved' and ${t.acknowledgedAt} is not null and ${t.resolvedAt} is not null)`
		)
	]
).enableRLS();
