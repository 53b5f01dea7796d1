import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import * as teams from '../../src/lib/server/teams';
import * as accounts from '../../src/lib/server/accounts';
import { getDb, rowsOf } from '../../src/lib/server/db';
import { Conflict, Forbidden, Invalid, NotFound } from '../../src/lib/server/errors';
import { isPostgres, useTestDatabase } from './helpers';
import { addMember, makeTeam } from '../factories/teams';
import { makeUser } from '../factories/users';

useTestDatabase();
const as = (user: { id: string }) => ({ userId: user.id });

describe('createTeam', () => {
	it('makes the creator its captain', async () => {
		const user = await makeUser();
		const { id } = await teams.createTeam(as(user), { name: '  信息学院志愿服务队 ' });
		const overview = await teams.getTeamOverview(as(user), id);
		expect(overview.team.name).toBe('信息学院志愿服务队');
		expect(overview.myRole).toBe('captain');
		expect(overview.members.map((m) => m.role)).toEqual(['captain']);
		expect(await teams.listMyTeams(as(user))).toEqual([
			{ id, name: '信息学院志愿服务队', role: 'captain', memberCount: 1 }
		]);
	});

	it('refuses an empty or overlong name and writes nothing', async () => {
		const user = await makeUser();
		await expect(teams.createTeam(as(user), { name: '   ' })).rejects.toBeInstanceOf(Invalid);
		await expect(teams.createTeam(as(user), { name: 'x'.repeat(81) })).rejects.toMatchObject({
			fields: { name: ['teams_error_name_too_long'] }
		});
		expect(await teams.listMyTeams(as(user))).toEqual([]);
	});
});

describe('team visibility', () => {
	it('is 404 for a member of another team', async () => {
		const team = await makeTeam();
		const other = await makeTeam();
		await expect(teams.getTeamOverview(as(other.captain), team.teamId)).rejects.toBeInstanceOf(
			NotFound
		);
	});

	it('shows contact details by role, as DOMAIN.md says', async () => {
		const team = await makeTeam();
		const leader = await addMember(team, 'leader');
		const volunteer = await addMember(team, 'volunteer');
		const seenBy = async (user: { id: string }) =>
			Object.fromEntries(
				(await teams.getTeamOverview(as(user), team.teamId)).members.map((m) => [
					m.role,
					{ email: m.email !== null, phone: m.phone }
				])
			);
		const byLeader = await seenBy(leader);
		expect(byLeader.volunteer.email).toBe(true);
		const byVolunteer = await teams.getTeamOverview(as(volunteer), team.teamId);
		const captainRow = byVolunteer.members.find((m) => m.role === 'captain');
		const leaderRow = byVolunteer.members.find((m) => m.role === 'leader');
		expect(captainRow?.email).toBeNull();
		expect(captainRow?.phone).not.toBeNull();
		expect(leaderRow?.email).toBeNull();
		expect(leaderRow?.phone).toBeNull();
		expect(byVolunteer.members.find((m) => m.isSelf)?.email).toBe(volunteer.email);
		expect(byVolunteer.invites).toBeNull();
	});
});

describe('changeRole', () => {
	it('lets a captain promote a volunteer to leader', async () => {
		const team = await makeTeam();
		const v = await addMember(team);
		await teams.changeRole(as(team.captain), team.teamId, v.id, 'leader');
		expect((await teams.getMembership(as(v), team.teamId)).role).toBe('leader');
	});

	it('is Forbidden for a leader or volunteer, NotFound for another team', async () => {
		const team = await makeTeam();
		const leader = await addMember(team, 'leader');
		const v = await addMember(team);
		const other = await makeTeam();
		await expect(teams.changeRole(as(leader), team.teamId, v.id, 'leader')).rejects.toBeInstanceOf(
			Forbidden
		);
		await expect(
			teams.changeRole(as(other.captain), team.teamId, v.id, 'leader')
		).rejects.toBeInstanceOf(NotFound);
		await expect(
			teams.changeRole(as(team.captain), team.teamId, v.id, 'boss' as never)
		).rejects.toBeInstanceOf(Invalid);
	});

	it('never demotes the last captain', async () => {
		const team = await makeTeam();
		await expect(
			teams.changeRole(as(team.captain), team.teamId, team.captain.id, 'leader')
		).rejects.toMatchObject({ code: 'teams_error_last_captain' });
		const second = await addMember(team, 'captain');
		await teams.changeRole(as(second), team.teamId, team.captain.id, 'volunteer');
		await expect(
			teams.changeRole(as(second), team.teamId, second.id, 'volunteer')
		).rejects.toBeInstanceOf(Conflict);
	});
});

describe('removeMember and leaveTeam', () => {
	it('removes a member, who then sees nothing of the team', async () => {
		const team = await makeTeam();
		const v = await addMember(team);
		await teams.removeMember(as(team.captain), team.teamId, v.id);
		await expect(teams.getTeamOverview(as(v), team.teamId)).rejects.toBeInstanceOf(NotFound);
	});

	it('lets a member leave but not the last captain', async () => {
		const team = await makeTeam();
		const v = await addMember(team);
		await teams.leaveTeam(as(v), team.teamId);
		expect(await teams.listMyTeams(as(v))).toEqual([]);
		await expect(teams.leaveTeam(as(team.captain), team.teamId)).rejects.toMatchObject({
			code: 'teams_error_last_captain'
		});
	});

	it('is Forbidden for a volunteer removing someone else', async () => {
		const team = await makeTeam();
		const a = await addMember(team);
		const b = await addMember(team);
		await expect(teams.removeMember(as(a), team.teamId, b.id)).rejects.toBeInstanceOf(Forbidden);
	});
});

describe('invites', () => {
	it('stores only the hash of the token', async () => {
		const team = await makeTeam();
		const invite = await teams.createInvite(as(team.captain), team.teamId, {});
		expect(invite.token.length).toBeGreaterThanOrEqual(26);
		const rows = rowsOf<{ row: string }>(
			await getDb().execute(sql`select t::text as row from team_invites t`)
		);
		expect(rows.some((r) => r.row.includes(invite.token))).toBe(false);
	});

	it('admits up to its use limit, then refuses', async () => {
		const team = await makeTeam();
		const invite = await teams.createInvite(as(team.captain), team.teamId, { maxUses: 2 });
		const [a, b, c] = [await makeUser(), await makeUser(), await makeUser()];
		await teams.acceptInvite(as(a), invite.token);
		// A member opening it again uses nothing.
		await teams.acceptInvite(as(a), invite.token);
		await teams.acceptInvite(as(b), invite.token);
		await expect(teams.acceptInvite(as(c), invite.token)).rejects.toMatchObject({
			code: 'teams_error_invite_unusable'
		});
		expect((await teams.previewInvite(invite.token, as(c))).state).toBe('used_up');
	});

	it('expires and can be revoked', async () => {
		const team = await makeTeam();
		const past = new Date(Date.now() - 8 * 24 * 3600 * 1000);
		const old = await teams.createInvite(as(team.captain), team.teamId, {}, past);
		const u = await makeUser();
		expect((await teams.previewInvite(old.token, as(u))).state).toBe('expired');
		await expect(teams.acceptInvite(as(u), old.token)).rejects.toBeInstanceOf(Conflict);

		const fresh = await teams.createInvite(as(team.captain), team.teamId, {});
		await teams.revokeInvite(as(team.captain), team.teamId, fresh.id);
		expect((await teams.previewInvite(fresh.token, null)).state).toBe('revoked');
		await expect(teams.acceptInvite(as(u), fresh.token)).rejects.toBeInstanceOf(Conflict);
	});

	it('joins with the invite role; leaders may invite only volunteers', async () => {
		const team = await makeTeam();
		const leader = await addMember(team, 'leader');
		expect((await teams.getMembership(as(leader), team.teamId)).role).toBe('leader');
		await expect(
			teams.createInvite(as(leader), team.teamId, { role: 'captain' })
		).rejects.toBeInstanceOf(Forbidden);
		const ok = await teams.createInvite(as(leader), team.teamId, { role: 'volunteer' });
		expect(ok.token).toBeTruthy();
		const other = await makeTeam();
		await expect(teams.createInvite(as(other.captain), team.teamId, {})).rejects.toBeInstanceOf(
			NotFound
		);
		await expect(
			teams.createInvite(as(team.captain), team.teamId, { maxUses: 0 })
		).rejects.toBeInstanceOf(Invalid);
	});

	it('refuses malformed and unknown tokens without touching anything', async () => {
		const u = await makeUser();
		await expect(teams.previewInvite("'; drop table teams; --", null)).rejects.toBeInstanceOf(
			NotFound
		);
		await expect(teams.acceptInvite(as(u), 'a'.repeat(32))).rejects.toBeInstanceOf(NotFound);
	});
});

describe('password reset links', () => {
	it('only a captain creates one, for a member of the team', async () => {
		const team = await makeTeam();
		const v = await addMember(team);
		const leader = await addMember(team, 'leader');
		const other = await makeTeam();
		const link = await accounts.createPasswordReset(as(team.captain), team.teamId, v.id);
		expect(link.expiresAt.getTime() - Date.now()).toBeGreaterThan(23.9 * 3600 * 1000);
		await expect(
			accounts.createPasswordReset(as(leader), team.teamId, v.id)
		).rejects.toBeInstanceOf(Forbidden);
		await expect(
			accounts.createPasswordReset(as(team.captain), team.teamId, other.captain.id)
		).rejects.toBeInstanceOf(NotFound);
		await expect(
			accounts.createPasswordReset(as(other.captain), team.teamId, v.id)
		).rejects.toBeInstanceOf(NotFound);
	});
});

describe.runIf(isPostgres)('concurrency on PostgreSQL', () => {
	it('two captains demoting each other at the same moment leave one captain', async () => {
		for (let round = 0; round < 10; round++) {
			const team = await makeTeam();
			const second = await addMember(team, 'captain');
			// The pool holds 10 connections: the two commands run on two at once.
			const results = await Promise.allSettled([
				teams.changeRole(as(team.captain), team.teamId, second.id, 'volunteer'),
				teams.changeRole(as(second), team.teamId, team.captain.id, 'volunteer')
			]);
			expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
			const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
			// Whichever commits second finds itself demoted (Forbidden) or the last captain (Conflict).
			expect(rejected.reason.code).toMatch(/^teams_error_(captains_only|last_captain)$/);
			const captains = rowsOf<{ n: number }>(
				await getDb().execute(
					sql`select count(*)::int as n from team_members where team_id = ${team.teamId} and role = 'captain'`
				)
			);
			expect(captains[0].n).toBe(1);
		}
	});

	it('a captain demoted concurrently loses their authority at once', async () => {
		const team = await makeTeam();
		const b = await addMember(team, 'captain');
		const c = await addMember(team, 'captain');
		const results = await Promise.allSettled([
			teams.changeRole(as(team.captain), team.teamId, b.id, 'volunteer'),
			teams.changeRole(as(b), team.teamId, c.id, 'volunteer')
		]);
		const overview = await teams.getTeamOverview(as(team.captain), team.teamId);
		const roleOf = (id: string) => overview.members.find((m) => m.userId === id)?.role;
		// Either B was demoted first (and then could not demote C) or B demoted C first.
		if (roleOf(b.id) === 'volunteer' && results[1].status === 'rejected') {
			expect(roleOf(c.id)).toBe('captain');
		} else {
			expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
			expect(roleOf(c.id)).toBe('volunteer');
		}
	});

	it('an invite with one use left admits exactly one of many', async () => {
		const team = await makeTeam();
		const invite = await teams.createInvite(as(team.captain), team.teamId, { maxUses: 1 });
		const users = await Promise.all(Array.from({ length: 12 }, () => makeUser()));
		const results = await Promise.allSettled(
			users.map((u) => teams.acceptInvite(as(u), invite.token))
		);
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
		const overview = await teams.getTeamOverview(as(team.captain), team.teamId);
		expect(overview.members).toHaveLength(2);
	});
});
