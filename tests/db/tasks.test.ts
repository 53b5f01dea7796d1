import { describe, expect, it } from 'vitest';
import * as tasks from '../../src/lib/server/tasks';
import * as calendar from '../../src/lib/server/calendar';
import * as groups from '../../src/lib/server/groups';
import { Conflict, Forbidden, Invalid, NotFound } from '../../src/lib/server/errors';
import { useTestDatabase } from './helpers';
import { addMember, makeTeam } from '../factories/teams';
import { inDays, makeEvent } from '../factories/events';
import { makeGroup } from '../factories/groups';
import { key, makeTask } from '../factories/tasks';
import { todayIn, zonedTime } from '../../src/lib/time';

useTestDatabase();
const as = (user: { id: string }) => ({ userId: user.id });

async function setup(status: 'planned' | 'draft' = 'planned') {
	const team = await makeTeam();
	const { id: eventId } = await makeEvent(team, { status });
	return { team, eventId };
}

describe('claiming and the waitlist', () => {
	it('claims until full, then queues in order; a withdrawal promotes the first in line', async () => {
		const { team, eventId } = await setup();
		const people = [];
		for (let i = 0; i < 5; i++) people.push(await addMember(team));
		const task = await makeTask(team, eventId, { capacity: 2 });
		const outcomes = [];
		for (const p of people) {
			outcomes.push(
				await tasks.claimTask({ actor: as(p), teamId: team.teamId, eventId }, task.id, key())
			);
		}
		expect(outcomes.map((o) => [o.status, o.position])).toEqual([
			['claimed', null],
			['claimed', null],
			['waiting', 1],
			['waiting', 2],
			['waiting', 3]
		]);
		// The second in line leaves: the line closes up.
		await tasks.withdrawFromTask({ actor: as(people[3]), teamId: team.teamId, eventId }, task.id);
		let board = await tasks.getTaskBoard(as(people[0]), team.teamId, eventId);
		expect(board.tasks[0].waitlist.map((w) => [w.userId, w.position])).toEqual([
			[people[2].id, 1],
			[people[4].id, 2]
		]);
		// A claimant leaves: exactly the first in line moves up, and is told.
		const { promoted } = await tasks.withdrawFromTask(
			{ actor: as(people[0]), teamId: team.teamId, eventId },
			task.id
		);
		expect(promoted).toEqual([people[2].id]);
		board = await tasks.getTaskBoard(as(people[2]), team.teamId, eventId);
		expect(board.tasks[0].claimants.map((c) => c.userId).sort()).toEqual(
			[people[1].id, people[2].id].sort()
		);
		expect(board.tasks[0].waitlist.map((w) => [w.userId, w.position])).toEqual([[people[4].id, 1]]);
		expect(board.tasks[0].mine).toEqual({ status: 'claimed', position: null });
		expect(board.notices.map((n) => n.kind)).toEqual(['promoted']);
		expect(board.totals).toEqual({ tasks: 1, taken: 2, capacity: 2, waiting: 1 });
		await tasks.dismissNotice(
			{ actor: as(people[2]), teamId: team.teamId, eventId },
			board.notices[0].id
		);
		expect((await tasks.getTaskBoard(as(people[2]), team.teamId, eventId)).notices).toEqual([]);
		await expect(
			tasks.dismissNotice(
				{ actor: as(people[1]), teamId: team.teamId, eventId },
				board.notices[0].id
			)
		).rejects.toBeInstanceOf(NotFound);
		// Withdrawing twice: nothing to withdraw.
		await expect(
			tasks.withdrawFromTask({ actor: as(people[0]), teamId: team.teamId, eventId }, task.id)
		).rejects.toBeInstanceOf(NotFound);
	});

	it('repeats of a key return the first outcome; a second key gives the same sign-up', async () => {
		const { team, eventId } = await setup();
		const v = await addMember(team);
		const task = await makeTask(team, eventId, { capacity: 1 });
		const other = await makeTask(team, eventId, { capacity: 1 });
		const k = key();
		const first = await tasks.claimTask({ actor: as(v), teamId: team.teamId, eventId }, task.id, k);
		const again = await tasks.claimTask({ actor: as(v), teamId: team.teamId, eventId }, task.id, k);
		// The same outcome, counters and version: nothing was published again (the topic's
		// version did not move).
		expect(first.version).toBeGreaterThan(0);
		expect(again).toEqual(first);
		const newKey = await tasks.claimTask(
			{ actor: as(v), teamId: team.teamId, eventId },
			task.id,
			key()
		);
		expect(newKey.signupId).toBe(first.signupId);
		const board = await tasks.getTaskBoard(as(v), team.teamId, eventId);
		expect(board.tasks.find((t) => t.id === task.id)?.taken).toBe(1);
		// The same key for another task is a stale form, not a claim.
		await expect(
			tasks.claimTask({ actor: as(v), teamId: team.teamId, eventId }, other.id, k)
		).rejects.toBeInstanceOf(Invalid);
		await expect(
			tasks.claimTask({ actor: as(v), teamId: team.teamId, eventId }, task.id, 'not-a-key')
		).rejects.toBeInstanceOf(Invalid);
		await expect(
			tasks.claimTask({ actor: as(v), teamId: team.teamId, eventId }, 'nope', key())
		).rejects.toBeInstanceOf(Invalid);
	});

	it('warns about overlapping times but allows the claim', async () => {
		const { team, eventId } = await setup();
		const v = await addMember(team);
		const a = await makeTask(team, eventId, {
			title: '辅导',
			startTime: '09:00',
			endTime: '10:00'
		});
		const b = await makeTask(team, eventId, { startTime: '09:30', endTime: '11:00' });
		const c = await makeTask(team, eventId, { startTime: '10:00', endTime: '11:00' });
		expect(
			(await tasks.claimTask({ actor: as(v), teamId: team.teamId, eventId }, a.id, key())).overlaps
		).toEqual([]);
		const board = await tasks.getTaskBoard(as(v), team.teamId, eventId);
		expect(board.tasks.find((t) => t.id === b.id)?.overlapsMine).toBe(true);
		expect(board.tasks.find((t) => t.id === c.id)?.overlapsMine).toBe(false);
		const second = await tasks.claimTask(
			{ actor: as(v), teamId: team.teamId, eventId },
			b.id,
			key()
		);
		expect(second.status).toBe('claimed');
		expect(second.overlaps).toEqual([{ taskId: a.id, title: '辅导' }]);
		// Touching ends do not overlap.
		expect(
			(await tasks.claimTask({ actor: as(v), teamId: team.teamId, eventId }, c.id, key())).overlaps
		).toEqual([{ taskId: b.id, title: expect.any(String) }]);
	});

	it('reads the board in time order, then by title; kind is a filter', async () => {
		const { team, eventId } = await setup();
		const v = await addMember(team);
		const late = await makeTask(team, eventId, {
			title: '乙',
			startTime: '11:00',
			endTime: '12:00'
		});
		const b = await makeTask(team, eventId, {
			kind: 'logistics',
			title: '乙',
			startTime: '08:00',
			endTime: '09:00'
		});
		const a = await makeTask(team, eventId, {
			kind: 'performance',
			title: '甲',
			startTime: '08:00',
			endTime: '09:00'
		});
		const board = await tasks.getTaskBoard(as(v), team.teamId, eventId);
		expect(board.by).toBe('time');
		// 08:00 甲 (jiǎ) and 08:00 乙 (yǐ) by title in Chinese order, then 11:00; whatever their kind.
		const order = [a.id, b.id, late.id];
		expect(board.tasks.map((t) => t.id)).toEqual(order);
		expect(board.all.map((t) => t.id)).toEqual(order);
		const logistics = await tasks.getTaskBoard(as(v), team.teamId, eventId, { kind: 'logistics' });
		expect(logistics.kind).toBe('logistics');
		expect(logistics.tasks.map((t) => t.id)).toEqual([b.id]);
		// The live board keeps every card, whatever the filter.
		expect(logistics.all).toHaveLength(3);
	});

	it('refuses claims before sign-up opens; leaders and captains may assign before', async () => {
		const { team, eventId } = await setup();
		const v = await addMember(team);
		const opens = `${inDays(3)}T20:00`;
		const task = await makeTask(team, eventId, { signupOpensAt: opens, capacity: 2 });
		const before = new Date();
		await expect(
			tasks.claimTask({ actor: as(v), teamId: team.teamId, eventId }, task.id, key(), before)
		).rejects.toMatchObject({ code: 'tasks_error_not_open_yet' });
		const board = await tasks.getTaskBoard(as(v), team.teamId, eventId);
		expect(board.tasks[0].isOpenForSignup).toBe(false);
		// 20:00 in Shanghai is 12:00 UTC.
		expect(board.tasks[0].signupOpensAt?.toISOString()).toBe(`${inDays(3)}T12:00:00.000Z`);
		const after = new Date(`${inDays(3)}T12:00:01Z`);
		expect(
			(await tasks.claimTask({ actor: as(v), teamId: team.teamId, eventId }, task.id, key(), after))
				.status
		).toBe('claimed');
		const w = await addMember(team);
		expect(
			(
				await tasks.assignTask(
					{ actor: as(team.captain), teamId: team.teamId, eventId },
					task.id,
					w.id
				)
			).status
		).toBe('claimed');
	});

	it('alerts the captains when someone withdraws within 24 hours of the event', async () => {
		const team = await makeTeam();
		const date = inDays(2);
		const { id: eventId } = await makeEvent(team, { status: 'planned', date });
		const v = await addMember(team);
		const task = await makeTask(team, eventId, { date });
		// Times relative to the event's start, so the test holds at any hour of the day.
		const start = zonedTime(date, '08:30', 'Asia/Shanghai').getTime();
		await tasks.claimTask({ actor: as(v), teamId: team.teamId, eventId }, task.id, key());
		// Two days before: not late.
		const early = new Date(start - 2 * 24 * 3600_000);
		await tasks.withdrawFromTask({ actor: as(v), teamId: team.teamId, eventId }, task.id, early);
		expect((await tasks.getTaskBoard(as(team.captain), team.teamId, eventId)).notices).toEqual([]);
		await tasks.claimTask({ actor: as(v), teamId: team.teamId, eventId }, task.id, key());
		const late = new Date(start - 12 * 3600_000);
		const result = await tasks.withdrawFromTask(
			{ actor: as(v), teamId: team.teamId, eventId },
			task.id,
			late
		);
		expect(result.wasLate).toBe(true);
		const notices = (await tasks.getTaskBoard(as(team.captain), team.teamId, eventId)).notices;
		expect(notices.map((n) => [n.kind, n.subjectName !== null])).toEqual([
			['late_withdrawal', true]
		]);
		expect((await tasks.getTaskBoard(as(v), team.teamId, eventId)).notices).toEqual([]);
	});
});

describe('leaders and captains', () => {
	it('a volunteer cannot assign, remove, change slots or create; another team sees nothing', async () => {
		const { team, eventId } = await setup();
		const v = await addMember(team);
		const w = await addMember(team);
		const task = await makeTask(team, eventId);
		await expect(
			tasks.assignTask({ actor: as(v), teamId: team.teamId, eventId }, task.id, w.id)
		).rejects.toBeInstanceOf(Forbidden);
		await tasks.claimTask({ actor: as(w), teamId: team.teamId, eventId }, task.id, key());
		await expect(
			tasks.removeSignup({ actor: as(v), teamId: team.teamId, eventId }, task.id, w.id)
		).rejects.toBeInstanceOf(Forbidden);
		await expect(
			tasks.setCapacity({ actor: as(v), teamId: team.teamId, eventId }, task.id, 5)
		).rejects.toBeInstanceOf(Forbidden);
		await expect(makeTask(team, eventId, {}, v)).rejects.toBeInstanceOf(Forbidden);

		const stranger = await makeTeam();
		const them = as(stranger.captain);
		await expect(tasks.getTaskBoard(them, team.teamId, eventId)).rejects.toBeInstanceOf(NotFound);
		await expect(
			tasks.claimTask({ actor: them, teamId: team.teamId, eventId }, task.id, key())
		).rejects.toBeInstanceOf(NotFound);
		await expect(
			tasks.assignTask({ actor: them, teamId: team.teamId, eventId }, task.id, w.id)
		).rejects.toBeInstanceOf(NotFound);
		await expect(tasks.getMyDay(them, team.teamId, eventId)).rejects.toBeInstanceOf(NotFound);
		// Their own event, our task's id: not found either.
		const { id: theirEvent } = await makeEvent(stranger, { status: 'planned' });
		await expect(
			tasks.claimTask({ actor: them, teamId: stranger.teamId, eventId: theirEvent }, task.id, key())
		).rejects.toBeInstanceOf(NotFound);
		// Assigning someone from outside the team.
		await expect(
			tasks.assignTask(
				{ actor: as(team.captain), teamId: team.teamId, eventId },
				task.id,
				stranger.captain.id
			)
		).rejects.toBeInstanceOf(NotFound);
	});

	it('a leader manages the tasks of the groups they lead, and nothing else', async () => {
		const { team, eventId } = await setup();
		const leader = await addMember(team, 'leader');
		const v = await addMember(team);
		const mine = await makeGroup(team, eventId, { leaderId: leader.id });
		const theirs = await makeGroup(team, eventId);
		const ours = await makeTask(team, eventId, { groupId: mine.id, capacity: 1 }, leader);
		await expect(makeTask(team, eventId, { groupId: theirs.id }, leader)).rejects.toBeInstanceOf(
			Forbidden
		);
		await expect(makeTask(team, eventId, {}, leader)).rejects.toBeInstanceOf(Forbidden);
		const other = await makeTask(team, eventId, { groupId: theirs.id });
		await expect(
			tasks.assignTask({ actor: as(leader), teamId: team.teamId, eventId }, other.id, v.id)
		).rejects.toBeInstanceOf(Forbidden);
		expect(
			(await tasks.assignTask({ actor: as(leader), teamId: team.teamId, eventId }, ours.id, v.id))
				.status
		).toBe('claimed');
		const w = await addMember(team);
		await expect(
			tasks.assignTask({ actor: as(leader), teamId: team.teamId, eventId }, ours.id, w.id)
		).rejects.toMatchObject({ code: 'tasks_error_full' });
		// Moving the task to a group they do not lead.
		await expect(
			tasks.updateTask({ actor: as(leader), teamId: team.teamId, eventId }, ours.id, {
				title: 'x',
				groupId: theirs.id,
				date: inDays(14),
				startTime: '09:00',
				endTime: '10:00'
			})
		).rejects.toBeInstanceOf(Forbidden);
		const notices = (await tasks.getTaskBoard(as(v), team.teamId, eventId)).notices;
		expect(notices.map((n) => n.kind)).toEqual(['assigned']);
		// Removing a claimant promotes the next in line.
		await tasks.claimTask({ actor: as(w), teamId: team.teamId, eventId }, ours.id, key());
		const { promoted } = await tasks.removeSignup(
			{ actor: as(leader), teamId: team.teamId, eventId },
			ours.id,
			v.id
		);
		expect(promoted).toEqual([w.id]);
		await tasks.deleteTask({ actor: as(leader), teamId: team.teamId, eventId }, ours.id);
		await expect(
			tasks.getTaskDetail(as(leader), team.teamId, eventId, ours.id)
		).rejects.toBeInstanceOf(NotFound);
	});

	it('a capacity cut below the claims needs a choice of who moves to the head of the line', async () => {
		const { team, eventId } = await setup();
		const people = [];
		for (let i = 0; i < 5; i++) people.push(await addMember(team));
		const task = await makeTask(team, eventId, { capacity: 4 });
		for (const p of people)
			await tasks.claimTask({ actor: as(p), teamId: team.teamId, eventId }, task.id, key());
		const cap = as(team.captain);
		await expect(
			tasks.setCapacity({ actor: cap, teamId: team.teamId, eventId }, task.id, 2)
		).rejects.toMatchObject({
			code: 'tasks_error_choose_who_moves'
		});
		await expect(
			tasks.setCapacity({ actor: cap, teamId: team.teamId, eventId }, task.id, 2, [
				people[0].id,
				people[4].id
			])
		).rejects.toMatchObject({ code: 'tasks_error_capacity_choice_stale' });
		await expect(
			tasks.setCapacity({ actor: cap, teamId: team.teamId, eventId }, task.id, 0, [])
		).rejects.toBeInstanceOf(Invalid);
		const { moved } = await tasks.setCapacity(
			{ actor: cap, teamId: team.teamId, eventId },
			task.id,
			2,
			[people[3].id, people[1].id]
		);
		expect(moved).toEqual([people[3].id, people[1].id]);
		let detail = await tasks.getTaskDetail(cap, team.teamId, eventId, task.id);
		expect(detail.task.claimants.map((c) => c.userId).sort()).toEqual(
			[people[0].id, people[2].id].sort()
		);
		expect(detail.task.waitlist.map((w) => [w.userId, w.position])).toEqual([
			[people[3].id, 1],
			[people[1].id, 2],
			[people[4].id, 3]
		]);
		// Raising it fills the new slots from the head of the line, one per slot.
		const raised = await tasks.setCapacity(
			{ actor: cap, teamId: team.teamId, eventId },
			task.id,
			4
		);
		expect(raised.promoted).toEqual([people[3].id, people[1].id]);
		detail = await tasks.getTaskDetail(cap, team.teamId, eventId, task.id);
		expect(detail.task.waitlist.map((w) => [w.userId, w.position])).toEqual([[people[4].id, 1]]);
		expect(detail.task.taken).toBe(4);
	});

	it('closed events take no claims', async () => {
		const team = await makeTeam();
		const { id: eventId } = await makeEvent(team, { status: 'planned' });
		const task = await makeTask(team, eventId);
		const { changeStatus } = await import('../../src/lib/server/events');
		await changeStatus({ actor: as(team.captain), teamId: team.teamId, eventId }, 'cancelled');
		await expect(
			tasks.claimTask({ actor: as(team.captain), teamId: team.teamId, eventId }, task.id, key())
		).rejects.toBeInstanceOf(Conflict);
	});

	it('volunteers do not see tasks of a draft event', async () => {
		const { team, eventId } = await setup('draft');
		const v = await addMember(team);
		await makeTask(team, eventId);
		await expect(tasks.getTaskBoard(as(v), team.teamId, eventId)).rejects.toBeInstanceOf(NotFound);
	});
});

describe('performances', () => {
	it('moves idea → rehearsing → ready for check → approved; only the group leader or a captain approves', async () => {
		const { team, eventId } = await setup();
		const leader = await addMember(team, 'leader');
		const otherLeader = await addMember(team, 'leader');
		const v = await addMember(team);
		const outsider = await addMember(team);
		const group = await makeGroup(team, eventId, { leaderId: leader.id });
		await makeGroup(team, eventId, { leaderId: otherLeader.id });
		const show = await makeTask(team, eventId, { kind: 'performance', groupId: group.id });
		await tasks.claimTask({ actor: as(v), teamId: team.teamId, eventId }, show.id, key());
		const step = (who: { id: string }, to: string) =>
			tasks.setReadiness({ actor: as(who), teamId: team.teamId, eventId }, show.id, to);

		await expect(step(outsider, 'rehearsing')).rejects.toBeInstanceOf(Forbidden);
		await expect(step(v, 'approved')).rejects.toBeInstanceOf(Conflict);
		await step(v, 'rehearsing');
		await step(v, 'ready_for_check');
		await expect(step(v, 'approved')).rejects.toBeInstanceOf(Forbidden);
		await expect(step(otherLeader, 'approved')).rejects.toBeInstanceOf(Forbidden);
		await expect(step(v, 'bogus')).rejects.toBeInstanceOf(Invalid);
		await step(leader, 'approved');
		let detail = await tasks.getTaskDetail(as(v), team.teamId, eventId, show.id);
		expect(detail.task.readiness).toBe('approved');
		expect(detail.approval?.by).toBeTruthy();
		expect(detail.approval?.at).toBeInstanceOf(Date);
		// Sent back: the approval goes with it.
		await step(team.captain, 'rehearsing');
		detail = await tasks.getTaskDetail(as(v), team.teamId, eventId, show.id);
		expect(detail.approval).toBeNull();
		const states = await tasks.listPerformanceStates(as(outsider), team.teamId, eventId);
		expect(states.map((s) => [s.taskId, s.readiness, s.group?.name !== undefined])).toEqual([
			[show.id, 'rehearsing', true]
		]);
		const plain = await makeTask(team, eventId);
		await expect(
			tasks.setReadiness(
				{ actor: as(team.captain), teamId: team.teamId, eventId },
				plain.id,
				'rehearsing'
			)
		).rejects.toMatchObject({ code: 'perf_error_not_performance' });
	});

	it('keeps a props checklist and a rehearsal log for those preparing it', async () => {
		const { team, eventId } = await setup();
		const v = await addMember(team);
		const bringer = await addMember(team);
		const outsider = await addMember(team);
		const show = await makeTask(team, eventId, { kind: 'performance' });
		await tasks.claimTask({ actor: as(v), teamId: team.teamId, eventId }, show.id, key());
		const item = await tasks.addPerformanceItem(
			{ actor: as(v), teamId: team.teamId, eventId },
			show.id,
			{
				item: '红色舞蹈服 ×6',
				bringerId: bringer.id
			}
		);
		await expect(
			tasks.addPerformanceItem({ actor: as(outsider), teamId: team.teamId, eventId }, show.id, {
				item: '扇子'
			})
		).rejects.toBeInstanceOf(Forbidden);
		await expect(
			tasks.addPerformanceItem({ actor: as(v), teamId: team.teamId, eventId }, show.id, {
				item: ' '
			})
		).rejects.toBeInstanceOf(Invalid);
		// The one who brings it ticks it off.
		await tasks.setPerformanceItemDone(
			{ actor: as(bringer), teamId: team.teamId, eventId },
			show.id,
			item.id,
			true
		);
		await expect(
			tasks.setPerformanceItemDone(
				{ actor: as(outsider), teamId: team.teamId, eventId },
				show.id,
				item.id,
				false
			)
		).rejects.toBeInstanceOf(Forbidden);
		await tasks.logRehearsal({ actor: as(v), teamId: team.teamId, eventId }, show.id, {
			date: todayIn('Asia/Shanghai'),
			note: '第一次完整彩排，节奏还需要练。'
		});
		const detail = await tasks.getTaskDetail(as(v), team.teamId, eventId, show.id);
		expect(detail.items.map((i) => [i.item, i.isDone, i.bringerName !== null])).toEqual([
			['红色舞蹈服 ×6', true, true]
		]);
		expect(detail.rehearsals.map((r) => r.note)).toEqual(['第一次完整彩排，节奏还需要练。']);
		await tasks.removePerformanceItem(
			{ actor: as(v), teamId: team.teamId, eventId },
			show.id,
			item.id
		);
		expect((await tasks.getTaskDetail(as(v), team.teamId, eventId, show.id)).items).toEqual([]);
	});
});

describe('My day and the calendar feed', () => {
	it('shows my group, its leader’s phone, my tasks with places and my part of the run of show', async () => {
		const team = await makeTeam();
		const { id: eventId } = await makeEvent(team, {
			status: 'planned',
			meetingPoint: '学校东门'
		});
		const leader = await addMember(team, 'leader');
		const v = await addMember(team);
		const g = await makeGroup(team, eventId, { leaderId: leader.id });
		await groups.addGroupMember(
			{ actor: as(team.captain), teamId: team.teamId, eventId },
			g.id,
			v.id
		);
		const task = await makeTask(team, eventId, { place: '二楼活动室', startTime: '09:00' });
		await tasks.claimTask({ actor: as(v), teamId: team.teamId, eventId }, task.id, key());
		const day = await tasks.getMyDay(as(v), team.teamId, eventId);
		expect(day.group?.leaderPhone).toBeTruthy();
		expect(day.tasks.map((t) => [t.id, t.place, t.status])).toEqual([
			[task.id, '二楼活动室', 'claimed']
		]);
		expect(day.event.meetingPoint).toBe('学校东门');
		expect(day.captains.length).toBe(1);
	});

	it('puts claimed tasks into the personal feed, not waitlisted ones', async () => {
		const { team, eventId } = await setup();
		const v = await addMember(team);
		const w = await addMember(team);
		const task = await makeTask(team, eventId, { title: '发放图书', capacity: 1 });
		await tasks.claimTask({ actor: as(v), teamId: team.teamId, eventId }, task.id, key());
		await tasks.claimTask({ actor: as(w), teamId: team.teamId, eventId }, task.id, key());
		const { token } = await calendar.createFeed(as(v));
		expect(await calendar.renderFeed(token, 'https://example.test')).toContain(`UID:${task.id}@`);
		const { token: theirs } = await calendar.createFeed(as(w));
		expect(await calendar.renderFeed(theirs, 'https://example.test')).not.toContain(task.id);
	});
});
