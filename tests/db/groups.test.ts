import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import * as events from '../../src/lib/server/events';
import * as groups from '../../src/lib/server/groups';
import * as teams from '../../src/lib/server/teams';
import { getDb, rowsOf } from '../../src/lib/server/db';
import { Conflict, Forbidden, Invalid, NotFound } from '../../src/lib/server/errors';
import { isPostgres, useTestDatabase } from './helpers';
import { addMember, makeTeam } from '../factories/teams';
import { makeEvent } from '../factories/events';
import { makeGroup } from '../factories/groups';

useTestDatabase();
import { as, scopeFor } from './values';

describe('groups', () => {
	it('creates groups with leaders; members see them, volunteers only their own leader’s phone', async () => {
		const team = await makeTeam();
		const leader = await addMember(team, 'leader');
		const v1 = await addMember(team);
		const v2 = await addMember(team);
		const { id } = await makeEvent(team, { status: 'planned' });
		const g1 = await makeGroup(team, id, { name: '一组', leaderId: leader.id, childrenCount: 8 });
		const g2 = await makeGroup(team, id, { name: '二组', colour: '#047857' });
		await groups.addGroupMember(scopeFor(team.captain, team, id), g1.id, v1.id);
		await groups.addGroupMember(scopeFor(team.captain, team, id), g2.id, v2.id);

		const page = await groups.listGroups(as(v1), team.teamId, id);
		expect(page.groups.map((g) => g.name)).toEqual(['一组', '二组']);
		expect(page.groups[0].leader?.phone).toBeTruthy();
		expect(page.groups[0].members.map((m) => m.userId)).toEqual([v1.id]);
		expect(page.groups[0].adults).toBe(2);
		expect(page.groups.every((g) => !g.canEdit)).toBe(true);
		expect(page.unassigned).toEqual([]);
		const byV2 = await groups.listGroups(as(v2), team.teamId, id);
		expect(byV2.groups[0].leader?.phone).toBeNull();

		const byCaptain = await groups.listGroups(as(team.captain), team.teamId, id);
		// The leader is in the group they lead: not unassigned.
		expect(byCaptain.unassigned.map((m) => m.userId)).toEqual([team.captain.id]);
		expect(byCaptain.leaderCandidates.map((m) => m.userId).sort()).toEqual(
			[team.captain.id, leader.id].sort()
		);
	});

	it('warns when a group has no leader or too few adults for its children', async () => {
		const team = await makeTeam();
		const leader = await addMember(team, 'leader');
		const v = await addMember(team);
		const { id } = await makeEvent(team, { childrenPerAdult: '4', status: 'planned' });
		const g = await makeGroup(team, id, { childrenCount: 9 });
		const warningsOf = async () =>
			(await groups.listGroups(as(team.captain), team.teamId, id)).groups[0].warnings;
		expect(await warningsOf()).toEqual(['no_leader', 'ratio']);
		await groups.setGroupLeader(scopeFor(team.captain, team, id), g.id, leader.id);
		// 1 adult for 9 children at 1:4.
		expect(await warningsOf()).toEqual(['ratio']);
		await groups.addGroupMember(scopeFor(team.captain, team, id), g.id, v.id);
		// 2 adults for 9 children: still one short.
		expect(await warningsOf()).toEqual(['ratio']);
		// The leader is not added again as a member: they already count.
		await expect(
			groups.addGroupMember(scopeFor(team.captain, team, id), g.id, leader.id)
		).rejects.toBeInstanceOf(Conflict);
		expect(await warningsOf()).toEqual(['ratio']);
		await groups.updateGroup(scopeFor(leader, team, id), g.id, {
			name: '一组',
			colour: '#1D4ED8',
			childrenCount: '8',
			ageMin: '6',
			ageMax: '9'
		});
		expect(await warningsOf()).toEqual([]);
		// A leader demoted in the team stops counting as one.
		await teams.changeRole(as(team.captain), team.teamId, leader.id, 'volunteer');
		expect(await warningsOf()).toEqual(['leader_role']);
		await expect(
			groups.updateGroup(scopeFor(leader, team, id), g.id, {
				name: 'x',
				colour: '#1d4ed8'
			})
		).rejects.toBeInstanceOf(Forbidden);
	});

	it('takes leaders only from team leaders and captains', async () => {
		const team = await makeTeam();
		const v = await addMember(team);
		const other = await makeTeam();
		const { id } = await makeEvent(team);
		await expect(makeGroup(team, id, { leaderId: v.id })).rejects.toMatchObject({
			code: 'groups_error_leader_role'
		});
		await expect(makeGroup(team, id, { leaderId: other.captain.id })).rejects.toBeInstanceOf(
			NotFound
		);
		const g = await makeGroup(team, id, { leaderId: team.captain.id });
		await expect(
			groups.setGroupLeader(scopeFor(team.captain, team, id), g.id, v.id)
		).rejects.toBeInstanceOf(Invalid);
		await groups.setGroupLeader(scopeFor(team.captain, team, id), g.id, null);
		expect((await groups.listGroups(as(team.captain), team.teamId, id)).groups[0].leader).toBe(
			null
		);
	});

	it('refuses bad input, duplicate names, and ages out of order', async () => {
		const team = await makeTeam();
		const { id } = await makeEvent(team);
		await makeGroup(team, id, { name: '一组' });
		await expect(makeGroup(team, id, { name: '一组' })).rejects.toBeInstanceOf(Conflict);
		await expect(makeGroup(team, id, { colour: 'red' })).rejects.toMatchObject({
			fields: { colour: ['groups_error_colour_invalid'] }
		});
		await expect(makeGroup(team, id, { ageMin: '10', ageMax: '6' })).rejects.toMatchObject({
			fields: { ageMax: ['groups_error_age_range'] }
		});
		await expect(makeGroup(team, id, { childrenCount: '-1' })).rejects.toBeInstanceOf(Invalid);
		const g2 = await makeGroup(team, id, { name: '二组' });
		await expect(
			groups.updateGroup(scopeFor(team.captain, team, id), g2.id, {
				name: '一组',
				colour: '#1d4ed8'
			})
		).rejects.toMatchObject({ code: 'groups_error_name_taken' });
	});

	it('never offers or adds a group’s leader as a member, of their own group or another', async () => {
		const team = await makeTeam();
		const leader = await addMember(team, 'leader');
		const v = await addMember(team);
		const { id } = await makeEvent(team, { status: 'planned' });
		const led = await makeGroup(team, id, { leaderId: leader.id });
		const other = await makeGroup(team, id);
		const page = await groups.listGroups(as(team.captain), team.teamId, id);
		const options = (groupId: string) =>
			page.groups.find((g) => g.id === groupId)!.memberOptions.map((p) => p.userId);
		expect(options(led.id)).toContain(v.id);
		expect(options(led.id)).not.toContain(leader.id);
		expect(options(other.id)).not.toContain(leader.id);
		// Leading a group is being in it: not listed as unassigned.
		expect(page.unassigned.map((p) => p.userId)).not.toContain(leader.id);
		expect(page.unassigned.map((p) => p.userId)).toContain(v.id);
		await expect(
			groups.addGroupMember(scopeFor(team.captain, team, id), led.id, leader.id)
		).rejects.toMatchObject({ code: 'groups_error_leader_is_member' });
		await expect(
			groups.addGroupMember(scopeFor(leader, team, id), led.id, leader.id)
		).rejects.toBeInstanceOf(Conflict);
		// Nor of another group of the same event.
		await expect(
			groups.addGroupMember(scopeFor(team.captain, team, id), other.id, leader.id)
		).rejects.toMatchObject({ code: 'groups_error_leader_is_member' });
		// A leader sees options only for the group they lead.
		const byLeader = await groups.listGroups(as(leader), team.teamId, id);
		expect(byLeader.groups.find((g) => g.id === other.id)!.memberOptions).toEqual([]);
		expect(
			byLeader.groups.find((g) => g.id === led.id)!.memberOptions.map((p) => p.userId)
		).toEqual(expect.arrayContaining([v.id, team.captain.id]));
	});

	it('keeps a member in one group per event', async () => {
		const team = await makeTeam();
		const v = await addMember(team);
		const { id } = await makeEvent(team);
		const g1 = await makeGroup(team, id);
		const g2 = await makeGroup(team, id);
		await groups.addGroupMember(scopeFor(team.captain, team, id), g1.id, v.id);
		// Adding again to the same group is a no-op.
		await groups.addGroupMember(scopeFor(team.captain, team, id), g1.id, v.id);
		await expect(
			groups.addGroupMember(scopeFor(team.captain, team, id), g2.id, v.id)
		).rejects.toMatchObject({ code: 'groups_error_member_in_other_group' });
		await groups.removeGroupMember(scopeFor(team.captain, team, id), g1.id, v.id);
		await groups.addGroupMember(scopeFor(team.captain, team, id), g2.id, v.id);
		// In another event the same member may join a group.
		const other = await makeEvent(team);
		const g3 = await makeGroup(team, other.id);
		await groups.addGroupMember(scopeFor(team.captain, team, other.id), g3.id, v.id);
		const page = await groups.listGroups(as(team.captain), team.teamId, id);
		expect(page.groups.map((g) => g.members.length)).toEqual([0, 1]);
		// The constraint itself, below the domain: a second row for (event, user) is refused.
		await expect(
			getDb().execute(
				sql`insert into group_members (event_id, group_id, user_id) values (${id}, ${g1.id}, ${v.id})`
			)
		).rejects.toMatchObject({ cause: { code: '23505' } });
	});

	it('lets a leader manage only the groups they lead', async () => {
		const team = await makeTeam();
		const leader = await addMember(team, 'leader');
		const v = await addMember(team);
		const { id } = await makeEvent(team, { status: 'planned' });
		const mine = await makeGroup(team, id, { leaderId: leader.id });
		const theirs = await makeGroup(team, id);
		await groups.addGroupMember(scopeFor(leader, team, id), mine.id, v.id);
		await expect(
			groups.addGroupMember(scopeFor(leader, team, id), theirs.id, leader.id)
		).rejects.toMatchObject({ code: 'groups_error_not_your_group' });
		await expect(
			groups.setGroupLeader(scopeFor(leader, team, id), theirs.id, leader.id)
		).rejects.toBeInstanceOf(Forbidden);
		await expect(makeGroupAs(leader)).rejects.toBeInstanceOf(Forbidden);
		await expect(groups.deleteGroup(scopeFor(leader, team, id), mine.id)).rejects.toBeInstanceOf(
			Forbidden
		);
		const page = await groups.listGroups(as(leader), team.teamId, id);
		expect(page.groups.map((g) => g.canEdit)).toEqual([true, false]);
		await groups.removeGroupMember(scopeFor(leader, team, id), mine.id, v.id);
		await expect(
			groups.removeGroupMember(scopeFor(v, team, id), mine.id, v.id)
		).rejects.toBeInstanceOf(Forbidden);
		await expect(
			groups.removeGroupMember(scopeFor(leader, team, id), mine.id, v.id)
		).rejects.toMatchObject({ code: 'groups_error_member_not_in_group' });

		function makeGroupAs(user: { id: string }) {
			return groups.createGroup(scopeFor(user, team, id), { name: 'x', colour: '#1d4ed8' });
		}
	});

	it('is NotFound for another team on every command; closed events refuse changes', async () => {
		const team = await makeTeam();
		const v = await addMember(team);
		const other = await makeTeam();
		const { id } = await makeEvent(team, { status: 'planned' });
		const g = await makeGroup(team, id);
		const stranger = as(other.captain);
		for (const attempt of [
			() =>
				groups.createGroup(
					{ actor: stranger, teamId: team.teamId, eventId: id },
					{ name: 'x', colour: '#1d4ed8' }
				),
			() =>
				groups.updateGroup({ actor: stranger, teamId: team.teamId, eventId: id }, g.id, {
					name: 'x',
					colour: '#1d4ed8'
				}),
			() =>
				groups.setGroupLeader({ actor: stranger, teamId: team.teamId, eventId: id }, g.id, null),
			() => groups.deleteGroup({ actor: stranger, teamId: team.teamId, eventId: id }, g.id),
			() =>
				groups.addGroupMember({ actor: stranger, teamId: team.teamId, eventId: id }, g.id, v.id),
			() =>
				groups.removeGroupMember({ actor: stranger, teamId: team.teamId, eventId: id }, g.id, v.id),
			() => groups.listGroups(stranger, team.teamId, id),
			() => groups.addGroupMember(scopeFor(team.captain, team, id), g.id, other.captain.id)
		]) {
			await expect(attempt()).rejects.toBeInstanceOf(NotFound);
		}
		await events.changeStatus(scopeFor(team.captain, team, id), 'cancelled');
		await expect(
			groups.addGroupMember(scopeFor(team.captain, team, id), g.id, v.id)
		).rejects.toMatchObject({ code: 'events_error_closed' });
	});

	it('deleting a group frees its members', async () => {
		const team = await makeTeam();
		const v = await addMember(team);
		const { id } = await makeEvent(team);
		const g = await makeGroup(team, id);
		await groups.addGroupMember(scopeFor(team.captain, team, id), g.id, v.id);
		await groups.deleteGroup(scopeFor(team.captain, team, id), g.id);
		const page = await groups.listGroups(as(team.captain), team.teamId, id);
		expect(page.groups).toEqual([]);
		expect(page.unassigned.map((m) => m.userId)).toContain(v.id);
	});
});

describe.runIf(isPostgres)('concurrency on PostgreSQL', () => {
	it('one member added to several groups at the same instant lands in exactly one', async () => {
		const team = await makeTeam();
		const leaders = await Promise.all([1, 2, 3, 4].map(() => addMember(team, 'leader')));
		const { id } = await makeEvent(team, { status: 'planned' });
		for (let round = 0; round < 5; round++) {
			const v = await addMember(team);
			const made: { id: string }[] = [];
			for (const leader of leaders) made.push(await makeGroup(team, id, { leaderId: leader.id }));
			// Each leader adds the same volunteer to their own group, all at once.
			const results = await Promise.allSettled(
				leaders.map((leader, i) =>
					groups.addGroupMember(scopeFor(leader, team, id), made[i].id, v.id)
				)
			);
			expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
			for (const r of results) {
				if (r.status === 'rejected') {
					expect(r.reason.code).toBe('groups_error_member_in_other_group');
				}
			}
			const rows = rowsOf<{ n: number }>(
				await getDb().execute(
					sql`select count(*)::int as n from group_members where event_id = ${id} and user_id = ${v.id}`
				)
			);
			expect(rows[0].n).toBe(1);
		}
	});
});
