import { sql } from 'drizzle-orm';
import {
	check,
	index,
	integer,
	pgEnum,
	pgTable,
	primaryKey,
	text,
	timestamp,
	uuid
} from 'drizzle-orm/pg-core';
import { users } from './auth';

export const teamRole = pgEnum('team_role', ['captain', 'leader', 'volunteer']);
export type TeamRole = (typeof teamRole.enumValues)[number];

export const teams = pgTable(
	'teams',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		name: text('name').notNull(),
		description: text('description'),
		createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [check('teams_name_length', sql`char_length(btrim(${t.name})) between 1 and 80`)]
).enableRLS();

export const teamMembers = pgTable(
	'team_members',
	{
		teamId: uuid('team_id')
			.notNull()
			.references(() => teams.id, { onDelete: 'cascade' }),
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		role: teamRole('role').notNull().default('volunteer'),
		joinedAt: timestamp('joined_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		primaryKey({ columns: [t.teamId, t.userId] }),
		index('team_members_user_idx').on(t.userId)
	]
).enableRLS();

/** Invite links: only the SHA-256 of the token is kept. */
export const teamInvites = pgTable(
	'team_invites',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		teamId: uuid('team_id')
			.notNull()
			.references(() => teams.id, { onDelete: 'cascade' }),
		tokenHash: text('token_hash').notNull().unique(),
		role: teamRole('role').notNull().default('volunteer'),
		createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
		maxUses: integer('max_uses').notNull(),
		uses: integer('uses').notNull().default(0),
		revokedAt: timestamp('revoked_at', { withTimezone: true })
	},
	(t) => [
		index('team_invites_team_idx').on(t.teamId),
		check('team_invites_uses_within_limit', sql`${t.uses} >= 0 and ${t.uses} <= ${t.maxUses}`),
		check('team_invites_max_uses_range', sql`${t.maxUses} between 1 and 1000`)
	]
).enableRLS();

/** One-time password reset links a captain creates for a member (no email can be sent). */
export const passwordResets = pgTable(
	'password_resets',
	{
		tokenHash: text('token_hash').primaryKey(),
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		teamId: uuid('team_id')
			.notNull()
			.references(() => teams.id, { onDelete: 'cascade' }),
		createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
		usedAt: timestamp('used_at', { withTimezone: true })
	},
	(t) => [index('password_resets_user_idx').on(t.userId)]
).enableRLS();
