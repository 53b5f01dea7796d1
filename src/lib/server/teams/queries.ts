import { and, asc, count, desc, eq, sql } from 'drizzle-orm';
import { getDb, type Queryable } from '../db';
import { teamInvites, teamMembers, teams, users, type TeamRole } from '../db/schema';
import { NotFound } from '../errors';
import { canSeeInvites, visibleContact } from './policy';
import type { Actor } from './types';

export interface Membership {
	teamId: string;
	userId: string;
	role: TeamRole;
}

export async function findMembership(
	db: Queryable,
	teamId: string,
	userId: string
): Promise<Membership | undefined> {
	const [row] = await db
		.select({ teamId: teamMembers.teamId, userId: teamMembers.userId, role: teamMembers.role })
		.from(teamMembers)
		.where(and(eq(teamMembers.teamId, teamId), eq(teamMembers.userId, userId)));
	return row;
}

/** A non-member learns nothing, not even that the team exists: 404 everywhere. */
export async function requireMembership(
	db: Queryable,
	teamId: string,
	actor: Actor
): Promise<Membership> {
	const membership = await findMembership(db, teamId, actor.userId);
	if (!membership) throw new NotFound('teams_error_not_found');
	return membership;
}

export async function getMembership(actor: Actor, teamId: string): Promise<Membership> {
	return requireMembership(getDb(), teamId, actor);
}

export interface MyTeam {
	id: string;
	name: string;
	role: TeamRole;
	memberCount: number;
}

export async function listMyTeams(actor: Actor): Promise<MyTeam[]> {
	const db = getDb();
	const members = db
		.select({ teamId: teamMembers.teamId, n: count().as('n') })
		.from(teamMembers)
		.groupBy(teamMembers.teamId)
		.as('members');
	return db
		.select({
			id: teams.id,
			name: teams.name,
			role: teamMembers.role,
			memberCount: sql<number>`${members.n}::int`
		})
		.from(teamMembers)
		.innerJoin(teams, eq(teams.id, teamMembers.teamId))
		.innerJoin(members, eq(members.teamId, teams.id))
		.where(eq(teamMembers.userId, actor.userId))
		.orderBy(asc(teams.name));
}

export interface TeamMemberView {
	userId: string;
	displayName: string;
	role: TeamRole;
	email: string | null;
	phone: string | null;
	joinedAt: Date;
	isSelf: boolean;
}

export interface InviteView {
	id: string;
	role: TeamRole;
	createdAt: Date;
	expiresAt: Date;
	maxUses: number;
	uses: number;
	revokedAt: Date | null;
	isActive: boolean;
}

export interface TeamOverview {
	team: { id: string; name: string; description: string | null; createdAt: Date };
	myRole: TeamRole;
	members: TeamMemberView[];
	invites: InviteView[] | null;
}

const ROLE_ORDER = sql`case ${teamMembers.role} when 'captain' then 0 when 'leader' then 1 else 2 end`;

/** The team's members with their names and contact details: by role, or by name alone. */
export function teamRoster(db: Queryable, teamId: string, order: 'role' | 'name') {
	const byName = asc(users.displayName);
	return db
		.select({
			userId: users.id,
			displayName: users.displayName,
			email: users.email,
			phone: users.phone,
			role: teamMembers.role,
			joinedAt: teamMembers.joinedAt
		})
		.from(teamMembers)
		.innerJoin(users, eq(users.id, teamMembers.userId))
		.where(eq(teamMembers.teamId, teamId))
		.orderBy(...(order === 'role' ? [ROLE_ORDER, byName] : [byName]));
}

/** The team's members by name with only what a picker shows (who is assigned, who holds it). */
export function teamPickList(db: Queryable, teamId: string) {
	return db
		.select({ userId: users.id, displayName: users.displayName })
		.from(teamMembers)
		.innerJoin(users, eq(users.id, teamMembers.userId))
		.where(eq(teamMembers.teamId, teamId))
		.orderBy(asc(users.displayName));
}

export async function getTeamOverview(actor: Actor, teamId: string): Promise<TeamOverview> {
	const db = getDb();
	const me = await requireMembership(db, teamId, actor);
	const [team] = await db
		.select({
			id: teams.id,
			name: teams.name,
			description: teams.description,
			createdAt: teams.createdAt
		})
		.from(teams)
		.where(eq(teams.id, teamId));
	if (!team) throw new NotFound('teams_error_not_found');

	const rows = await teamRoster(db, teamId, 'role');
	const members = rows.map((row) => {
		const isSelf = row.userId === actor.userId;
		return {
			userId: row.userId,
			displayName: row.displayName,
			role: row.role,
			joinedAt: row.joinedAt,
			isSelf,
			...visibleContact(me.role, row, isSelf)
		};
	});

	let invites: InviteView[] | null = null;
	if (canSeeInvites(me.role)) {
		const now = Date.now();
		const inviteRows = await db
			.select({
				id: teamInvites.id,
				role: teamInvites.role,
				createdAt: teamInvites.createdAt,
				expiresAt: teamInvites.expiresAt,
				maxUses: teamInvites.maxUses,
				uses: teamInvites.uses,
				revokedAt: teamInvites.revokedAt
			})
			.from(teamInvites)
			.where(eq(teamInvites.teamId, teamId))
			.orderBy(desc(teamInvites.createdAt))
			.limit(50);
		invites = inviteRows.map((i) => ({
			...i,
			isActive: !i.revokedAt && i.expiresAt.getTime() > now && i.uses < i.maxUses
		}));
	}
	return { team, myRole: me.role, members, invites };
}

export type InviteState = 'valid' | 'expired' | 'revoked' | 'used_up';

export interface InvitePreview {
	teamId: string;
	teamName: string;
	role: TeamRole;
	state: InviteState;
	isMember: boolean;
}
