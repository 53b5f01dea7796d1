import { sql } from 'drizzle-orm';
import { check, index, pgEnum, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import {
	INCIDENT_CATEGORIES,
	INCIDENT_SEVERITIES,
	type IncidentCategory,
	type IncidentSeverity
} from '../../../incident-kinds';
import { userOrNull } from './auth';
import { eventRef } from './events';
import { eventGroups } from './groups';
import { instant, id, createdAt, optionalTrimmedLength, optionalMaxLength } from './columns';

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
		id: id(),
		eventId: eventRef(),
		reporterId: userOrNull('reporter_id'),
		category: incidentCategory('category').notNull(),
		severity: incidentSeverity('severity').notNull(),
		description: text('description'),
		place: text('place'),
		groupId: uuid('group_id').references(() => eventGroups.id, { onDelete: 'set null' }),
		status: incidentStatus('status').notNull().default('open'),
		/** When the report was received (and escalation counts from). */
		createdAt: createdAt(),
		/**
		 * When the reporter pressed send: the phone's clock for a report queued offline, bounded
		 * to at most `created_at` and not before it by more than the offline limit.
		 */
		reportedAt: instant('reported_at').notNull().defaultNow(),
		acknowledgedAt: instant('acknowledged_at'),
		acknowledgedBy: userOrNull('acknowledged_by'),
		resolvedAt: instant('resolved_at'),
		resolvedBy: userOrNull('resolved_by'),
		resolution: text('resolution'),
		erasedAt: instant('erased_at')
	},
	(t) => [
		index('incidents_event_created_idx').on(t.eventId, t.createdAt),
		check('incidents_description_length', optionalTrimmedLength(t.description, 1, 2000)),
		check('incidents_place_length', optionalMaxLength(t.place, 120)),
		check('incidents_resolution_length', optionalMaxLength(t.resolution, 2000)),
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
