import { sql } from 'drizzle-orm';
import {
	boolean,
	check,
	date,
	index,
	integer,
	jsonb,
	pgEnum,
	pgTable,
	text,
	time,
	unique,
	uniqueIndex,
	uuid
} from 'drizzle-orm/pg-core';
import { userOrNull } from './auth';
import { events } from './events';
import {
	INSERT_ORDER,
	instant,
	id,
	createdAt,
	updatedAt,
	optionalTrimmedLength,
	optionalMaxLength
} from './columns';

/** Where the community's answer stands: nothing yet (or voided by a change), yes, or "another". */
export const contactState = pgEnum('contact_state', ['pending', 'confirmed', 'change_requested']);
export type ContactState = (typeof contactState.enumValues)[number];

export const contactAction = pgEnum('contact_action', [
	'recorded',
	'link_created',
	'link_revoked',
	'confirmed',
	'change_requested',
	'change_accepted',
	'team_replied',
	'event_changed',
	'proposal_withdrawn'
]);
export type ContactAction = (typeof contactAction.enumValues)[number];

/**
 * The community contact of one event (社区联系人) and what the team asks of the community.
 * Their details are personal information (PIPL): erased a set time after the event, when
 * `erased_at` is set and the columns become null.
 */
export const eventContacts = pgTable(
	'event_contacts',
	{
		eventId: uuid('event_id')
			.primaryKey()
			.references(() => events.id, { onDelete: 'cascade' }),
		name: text('name'),
		organization: text('organization'),
		phone: text('phone'),
		email: text('email'),
		needsRoom: boolean('needs_room').notNull().default(false),
		needsTables: boolean('needs_tables').notNull().default(false),
		needsElectricity: boolean('needs_electricity').notNull().default(false),
		needsStaff: boolean('needs_staff').notNull().default(false),
		needsNote: text('needs_note'),
		/** The captain who chose to show their own name and phone on the link; null: nobody. */
		shownCaptainId: userOrNull('shown_captain_id'),
		state: contactState('state').notNull().default('pending'),
		stateChangedAt: instant('state_changed_at').notNull().defaultNow(),
		erasedAt: instant('erased_at'),
		createdAt: createdAt(),
		updatedAt: updatedAt()
	},
	(t) => [
		check(
			'event_contacts_details_until_erased',
			sql`${t.erasedAt} is not null or (${t.name} is not null and ${t.phone} is not null)`
		),
		check(
			'event_contacts_erased_means_empty',
			sql`${t.erasedAt} is null or (${t.name} is null and ${t.organization} is null and ${t.phone} is null and ${t.email} is null)`
		),
		check('event_contacts_name_length', optionalTrimmedLength(t.name, 1, 60)),
		check('event_contacts_organization_length', optionalMaxLength(t.organization, 120)),
		check('event_contacts_phone_length', optionalMaxLength(t.phone, 24)),
		check('event_contacts_email_length', optionalMaxLength(t.email, 254)),
		check('event_contacts_needs_note_length', optionalMaxLength(t.needsNote, 500))
	]
).enableRLS();

/**
 * The private links of an event's contact: only the SHA-256 of the secret is kept. At most one
 * live link per event; regenerating revokes the old one, which then says so rather than
 * looking like a wrong guess.
 */
export const contactLinks = pgTable(
	'contact_links',
	{
		id: id(),
		eventId: uuid('event_id')
			.notNull()
			.references(() => eventContacts.eventId, { onDelete: 'cascade' }),
		tokenHash: text('token_hash').notNull(),
		/** The link works until the end of this many days after the event's date. */
		validDaysAfter: integer('valid_days_after').notNull().default(30),
		createdBy: userOrNull('created_by'),
		createdAt: createdAt(),
		revokedAt: instant('revoked_at')
	},
	(t) => [
		unique('contact_links_token_hash_unique').on(t.tokenHash),
		uniqueIndex('contact_links_one_live_idx')
			.on(t.eventId)
			.where(sql`${t.revokedAt} is null`),
		check('contact_links_valid_days_range', sql`${t.validDaysAfter} between 0 and 60`)
	]
).enableRLS();

/**
 * Every action on the confirmation, with its time: the contact's (user_id null) and the team's.
 * Notes may hold personal information and are erased with the contact's details.
 */
export const contactHistory = pgTable(
	'contact_history',
	{
		id: id(),
		eventId: uuid('event_id')
			.notNull()
			.references(() => eventContacts.eventId, { onDelete: 'cascade' }),
		action: contactAction('action').notNull(),
		/** The team member who acted; null when the community contact did. */
		userId: userOrNull('user_id'),
		isByContact: boolean('is_by_contact').notNull().default(false),
		stateAfter: contactState('state_after').notNull(),
		proposedDate: date('proposed_date', { mode: 'string' }),
		proposedStartTime: time('proposed_start_time'),
		proposedEndTime: time('proposed_end_time'),
		proposedVenue: text('proposed_venue'),
		note: text('note'),
		/** For `event_changed`: which of date, times and venue moved, from what to what. */
		changes: jsonb('changes').$type<ScheduleChange[]>(),
		at: instant('at').notNull().default(INSERT_ORDER)
	},
	(t) => [
		index('contact_history_event_at_idx').on(t.eventId, t.at),
		check('contact_history_note_length', optionalMaxLength(t.note, 500)),
		check('contact_history_venue_length', optionalMaxLength(t.proposedVenue, 120)),
		check(
			'contact_history_times_ordered',
			sql`${t.proposedStartTime} is null or ${t.proposedEndTime} is null or ${t.proposedEndTime} > ${t.proposedStartTime}`
		)
	]
).enableRLS();

export interface ScheduleChange {
	field: 'date' | 'startTime' | 'endTime' | 'venueName' | 'venueAddress';
	from: string | null;
	to: string | null;
}
