import { sql } from 'drizzle-orm';
import {
	check,
	index,
	integer,
	pgEnum,
	pgTable,
	primaryKey,
	text,
	uuid
} from 'drizzle-orm/pg-core';
import { userRef, userOrNull } from './auth';
import { instant, id, createdAt, trimmedLength } from './columns';

export const teamRole = pgEnum('team_role', ['captain', 'leader', 'volunteer']);
export type TeamRole = (typeof teamRole.enumValues)[number];

export const teams = pgTable(
	'teams',
	{
		id: id(),
		name: text('name').notNull(),
		description: text('description'),
		createdBy: userOrNull('created_by'),
		createdAt: createdAt()
	},
	(t) => [check('teams_name_length', trimmedLength(t.name, 1, 80))]
).enableRLS();

/** A row of one team, which goes with the team. */
export const teamRef = () =>
	uuid('team_id')
		.notNull()
		.references(() => teams.id, { onDelete: 'cascade' });

export const teamMembers = pgTable(
	'team_members',
	{
		teamId: teamRef(),
		userId: userRef(),
		role: teamRole('role').notNull().default('volunteer'),
		joinedAt: instant('joined_at').notNull().defaultNow()
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
		id: id(),
		teamId: teamRef(),
		tokenHash: text('token_hash').notNull().unique(),
		role: teamRole('role').notNull().default('volunteer'),
		createdBy: userOrNull('created_by'),
		createdAt: createdAt(),
		expiresAt: instant('expires_at').notNull(),
		maxUses: integer('max_uses').notNull(),
		uses: integer('uses').notNull().default(0),
		revokedAt: instant('revoked_at')
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
		userId: userRef(),
		teamId: teamRef(),
		createdBy: userOrNull('created_by'),
		createdAt: createdAt(),
		expiresAt: instant('expires_at').notNull(),
		usedAt: instant('used_at')
	},
	(t) => [index('password_resets_user_idx').on(t.userId)]
).enableRLS();
