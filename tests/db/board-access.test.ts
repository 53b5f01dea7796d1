// The task board's reads after the page-speed work (issue #11): the access check shared by an
// event's layout and page within one request, the joined membership-and-event query, and the
// actor's group and led groups taken from the board's one groups query.
import { describe, expect, it } from 'vitest';
import * as events from '../../src/lib/server/events';
import * as groups from '../../src/lib/server/groups';
import * as tasks from '../../src/lib/server/tasks';
import { NotFound } from '../../src/lib/server/errors';
import { useTestDatabase } from './helpers';
import { addMember, makeTeam } from '../factories/teams';
import { makeEvent } from '../factories/events';
import { makeGroup } from '../factories/groups';
import { makeTask } from '../factories/tasks';

useTestDatabase();
const as = (user: { id: string }) => ({ userId: user.id });

describe('readEventAccess', () => {
	it('checks once per actor and event within one memo, never across memos', async () => {
		const team = await makeTeam();
		const v = await addMember(team);
		const { id } = await makeEvent(team, { status: 'planned' });
		const memo: events.AccessMemo = new Map();
		const first = events.readEventAccess(as(v), team.teamId, id, memo);
		expect(events.readEventAccess(as(v), team.teamId, id, memo)).toBe(first);
		expect(events.readEventAccess(as(team.captain), team.teamId, id, memo)).not.toBe(first);
		expect(events.readEventAccess(as(v), team.teamId, id, new Map())).not.toBe(first);
		expect((await first).role).toBe('volunteer');
		expect((await first).isCaptain).toBe(false);
		expect((await events.readEventAccess(as(team.captain), team.teamId, id, memo)).isCaptain).toBe(
			true
		);
	});

	it('is NotFound for another team’s member, a draft to a volunteer, and an event of another team', async () => {
		const team = await makeTeam();
		const v = await addMember(team);
		const other = await makeTeam();
		const { id } = await makeEvent(team, { status: 'planned' });
		const draft = await makeEvent(team);
		const theirs = await makeEvent(other, { status: 'planned' });
		for (const [actor, teamId, eventId] of [
			[as(other.captain), team.teamId, id],
			[as(v), team.teamId, draft.id],
			[as(v), team.teamId, theirs.id],
			[as(team.captain), team.teamId, theirs.id]
		] as const) {
			await expect(
				events.readEventAccess(actor, teamId, eventId, new Map())
			).rejects.toBeInstanceOf(NotFound);
			await expect(tasks.getTaskBoard(actor, teamId, eventId)).rejects.toBeInstanceOf(NotFound);
		}
		expect((await events.readEventAccess(as(team.captain), team.teamId, draft.id)).event.id).toBe(
			draft.id
		);
	});
});

describe('getTaskBoard', () => {
	it('finds the actor’s group and the groups they lead in the event’s groups', async () => {
		const team = await makeTeam();
		const leader = await addMember(team, 'leader');
		const v = await addMember(team);
		const { id } = await makeEvent(team, { status: 'planned' });
		const led = await makeGroup(team, id, { leaderId: leader.id });
		const otherGroup = await makeGroup(team, id);
		await groups.addGroupMember(
			{ actor: as(team.captain), teamId: team.teamId, eventId: id },
			otherGroup.id,
			v.id
		);
		const mineTask = await makeTask(team, id, { groupId: led.id });
		await makeTask(team, id, { groupId: otherGroup.id });

		const asLeader = await tasks.getTaskBoard(as(leader), team.teamId, id, { memo: new Map() });
		expect(asLeader.canCreate).toBe(true);
		expect(asLeader.groups.map((g) => g.id)).toEqual([led.id]);
		expect(asLeader.allGroups.map((g) => g.id)).toEqual([led.id, otherGroup.id]);
		expect(asLeader.tasks.filter((t) => t.canManage).map((t) => t.id)).toEqual([mineTask.id]);
		expect(asLeader.hasGroup).toBe(false);

		const asVolunteer = await tasks.getTaskBoard(as(v), team.teamId, id, { filter: 'group' });
		expect(asVolunteer.canCreate).toBe(false);
		expect(asVolunteer.agenda).toEqual([]);
		expect(asVolunteer.hasGroup).toBe(true);
		expect(asVolunteer.tasks.map((t) => t.group?.id)).toEqual([otherGroup.id]);
		expect(asVolunteer.tasks.every((t) => !t.canManage)).toBe(true);
	});

	it('sends a card only what it shows', async () => {
		const team = await makeTeam();
		const [a, b, c] = [await addMember(team), await addMember(team), await addMember(team)];
		const { id } = await makeEvent(team, { status: 'planned' });
		const task = await makeTask(team, id, { capacity: 1 });
		await tasks.claimTask(
			{ actor: as(a), teamId: team.teamId, eventId: id },
			task.id,
			crypto.randomUUID()
		);
		await tasks.claimTask(
			{ actor: as(b), teamId: team.teamId, eventId: id },
			task.id,
			crypto.randomUUID()
		);
		const board = await tasks.getTaskBoard(as(c), team.teamId, id);
		const card = tasks.toBoardCard(board.tasks[0]);
		expect(card).not.toHaveProperty('waitlist');
		expect(card).not.toHaveProperty('claimants');
		expect(card.claimantNames).toHaveLength(1);
		expect([card.taken, card.waiting, card.mine]).toEqual([1, 1, null]);
	});
});
