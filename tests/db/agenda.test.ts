import { describe, expect, it } from 'vitest';
import * as agenda from '../../src/lib/server/agenda';
import * as events from '../../src/lib/server/events';
import * as groups from '../../src/lib/server/groups';
import { Forbidden, Invalid, NotFound } from '../../src/lib/server/errors';
import { nowAndNext } from '../../src/lib/agenda';
import { zonedTime } from '../../src/lib/time';
import { useTestDatabase } from './helpers';
import { addMember, makeTeam } from '../factories/teams';
import { inDays, makeEvent } from '../factories/events';
import { makeGroup } from '../factories/groups';

useTestDatabase();
import { as, scopeFor } from './values';

describe('run of show', () => {
	it('lists items by time with their groups, and warns when a group is due in two places', async () => {
		const team = await makeTeam();
		const { id } = await makeEvent(team);
		const g1 = await makeGroup(team, id, { name: '一组' });
		const g2 = await makeGroup(team, id, { name: '二组' });
		const captain = as(team.captain);
		await agenda.addAgendaItem(
			{ actor: captain, teamId: team.teamId, eventId: id },
			{
				startTime: '09:00',
				durationMinutes: 45,
				title: '节目表演',
				kind: 'performance',
				groupIds: [g1.id]
			}
		);
		const tutoring = await agenda.addAgendaItem(
			{ actor: captain, teamId: team.teamId, eventId: id },
			{
				startTime: '09:30',
				durationMinutes: '40',
				title: '学习辅导',
				kind: 'tutoring',
				place: '二楼教室',
				groupIds: [g1.id, g2.id]
			}
		);
		await agenda.addAgendaItem(
			{ actor: captain, teamId: team.teamId, eventId: id },
			{
				startTime: '08:30',
				durationMinutes: 30,
				title: '到达',
				kind: 'arrival'
			}
		);
		let page = await agenda.getAgenda(captain, team.teamId, id);
		expect(page.items.map((i) => i.title)).toEqual(['到达', '节目表演', '学习辅导']);
		expect(page.items[0].groups).toEqual([]);
		expect(page.items[1].clashes).toEqual([{ groupName: '一组', otherTitle: '学习辅导' }]);
		expect(page.items[2].clashes).toEqual([{ groupName: '一组', otherTitle: '节目表演' }]);
		expect(page.items[2].groups.map((g) => g.name)).toEqual(['一组', '二组']);

		// Moving tutoring after the performance ends clears the warning.
		await agenda.updateAgendaItem(
			{ actor: captain, teamId: team.teamId, eventId: id },
			tutoring.id,
			{
				startTime: '09:45',
				durationMinutes: 40,
				title: '学习辅导',
				kind: 'tutoring',
				groupIds: [g1.id, g2.id]
			}
		);
		page = await agenda.getAgenda(captain, team.teamId, id);
		expect(page.items.flatMap((i) => i.clashes)).toEqual([]);
		expect(page.items[2].place).toBeNull();
	});

	it('reorders by swapping an item with its neighbour within their span', async () => {
		const team = await makeTeam();
		const { id } = await makeEvent(team);
		const captain = as(team.captain);
		const add = (startTime: string, durationMinutes: number, title: string) =>
			agenda.addAgendaItem(
				{ actor: captain, teamId: team.teamId, eventId: id },
				{ startTime, durationMinutes, title }
			);
		await add('09:00', 30, 'A');
		const b = await add('09:30', 60, 'B');
		await add('10:30', 15, 'C');
		await agenda.moveAgendaItem({ actor: captain, teamId: team.teamId, eventId: id }, b.id, 'up');
		let items = (await agenda.getAgenda(captain, team.teamId, id)).items;
		expect(items.map((i) => [i.title, i.startTime])).toEqual([
			['B', '09:00:00'],
			['A', '10:00:00'],
			['C', '10:30:00']
		]);
		await agenda.moveAgendaItem({ actor: captain, teamId: team.teamId, eventId: id }, b.id, 'down');
		await agenda.moveAgendaItem({ actor: captain, teamId: team.teamId, eventId: id }, b.id, 'down');
		items = (await agenda.getAgenda(captain, team.teamId, id)).items;
		expect(items.map((i) => [i.title, i.startTime])).toEqual([
			['A', '09:00:00'],
			['C', '09:30:00'],
			['B', '09:45:00']
		]);
		// At the end already: nothing moves.
		await agenda.moveAgendaItem({ actor: captain, teamId: team.teamId, eventId: id }, b.id, 'down');
		expect((await agenda.getAgenda(captain, team.teamId, id)).items.at(-1)?.title).toBe('B');
		await agenda.removeAgendaItem({ actor: captain, teamId: team.teamId, eventId: id }, b.id);
		expect((await agenda.getAgenda(captain, team.teamId, id)).items).toHaveLength(2);
	});

	it('refuses bad input, groups of another event, and non-captains', async () => {
		const team = await makeTeam();
		const leader = await addMember(team, 'leader');
		const other = await makeTeam();
		const { id } = await makeEvent(team, { status: 'planned' });
		const elsewhere = await makeEvent(team);
		const foreign = await makeGroup(team, elsewhere.id);
		const captain = as(team.captain);
		await expect(
			agenda.addAgendaItem(
				{ actor: captain, teamId: team.teamId, eventId: id },
				{
					startTime: '23:30',
					durationMinutes: 60,
					title: 'late'
				}
			)
		).rejects.toMatchObject({ fields: { durationMinutes: ['agenda_error_past_midnight'] } });
		await expect(
			agenda.addAgendaItem(
				{ actor: captain, teamId: team.teamId, eventId: id },
				{
					startTime: '25:00',
					durationMinutes: 0,
					title: '',
					kind: 'party' as never
				}
			)
		).rejects.toBeInstanceOf(Invalid);
		await expect(
			agenda.addAgendaItem(
				{ actor: captain, teamId: team.teamId, eventId: id },
				{
					startTime: '09:00',
					durationMinutes: 10,
					title: 'x',
					groupIds: [foreign.id]
				}
			)
		).rejects.toMatchObject({ code: 'groups_error_not_found' });
		const item = await agenda.addAgendaItem(
			{ actor: captain, teamId: team.teamId, eventId: id },
			{
				startTime: '09:00',
				durationMinutes: 10,
				title: 'x'
			}
		);
		const input = { startTime: '09:00', durationMinutes: 10, title: 'y' };
		await expect(agenda.addAgendaItem(scopeFor(leader, team, id), input)).rejects.toBeInstanceOf(
			Forbidden
		);
		const stranger = as(other.captain);
		for (const attempt of [
			() => agenda.addAgendaItem({ actor: stranger, teamId: team.teamId, eventId: id }, input),
			() =>
				agenda.updateAgendaItem(
					{ actor: stranger, teamId: team.teamId, eventId: id },
					item.id,
					input
				),
			() => agenda.removeAgendaItem({ actor: stranger, teamId: team.teamId, eventId: id }, item.id),
			() =>
				agenda.moveAgendaItem({ actor: stranger, teamId: team.teamId, eventId: id }, item.id, 'up'),
			() => agenda.getAgenda(stranger, team.teamId, id),
			() =>
				agenda.removeAgendaItem(
					{ actor: captain, teamId: team.teamId, eventId: elsewhere.id },
					item.id
				)
		]) {
			await expect(attempt()).rejects.toBeInstanceOf(NotFound);
		}
	});

	it('follows the clock in the event’s time zone for now / next', () => {
		const items = [
			{ id: 'a', startTime: '09:00:00', durationMinutes: 30, title: 'A' },
			{ id: 'b', startTime: '09:30:00', durationMinutes: 30, title: 'B' },
			{ id: 'c', startTime: '09:30:00', durationMinutes: 60, title: 'C' }
		];
		const at = (time: string, zone = 'Asia/Shanghai') => zonedTime('2026-07-12', time, zone);
		expect(at('09:10').toISOString()).toBe('2026-07-12T01:10:00.000Z');
		const during = nowAndNext(items, '2026-07-12', 'Asia/Shanghai', at('09:40'));
		expect(during.day).toBe('today');
		expect(during.now.map((i) => i.id)).toEqual(['b', 'c']);
		expect(during.next).toBeNull();
		const early = nowAndNext(items, '2026-07-12', 'Asia/Shanghai', at('09:10'));
		expect(early.now.map((i) => i.id)).toEqual(['a']);
		expect(early.next?.id).toBe('b');
		// 08:00 in Urumqi is 10:00 in Shanghai: B has just ended, C runs on.
		const shifted = nowAndNext(items, '2026-07-12', 'Asia/Shanghai', at('08:00', 'Asia/Urumqi'));
		expect(shifted.now.map((i) => i.id)).toEqual(['c']);
		expect(nowAndNext(items, '2026-07-13', 'Asia/Shanghai', at('09:40')).day).toBe('before');
		expect(nowAndNext(items, '2026-07-11', 'Asia/Shanghai', at('09:40')).day).toBe('after');
		// Across a daylight-saving change the wall clock still decides.
		expect(zonedTime('2026-03-29', '09:00', 'Europe/Berlin').toISOString()).toBe(
			'2026-03-29T07:00:00.000Z'
		);
	});
});

describe('copyEvent', () => {
	it('copies details, checklist, run of show and groups (no members) to a new date', async () => {
		const team = await makeTeam();
		const leader = await addMember(team, 'leader');
		const v = await addMember(team);
		const source = await events.createEvent(as(team.captain), team.teamId, {
			title: '暑期服务日',
			date: inDays(-60),
			startTime: '08:00',
			endTime: '12:30',
			venueName: '幸福社区',
			childrenPerAdult: 4
		});
		const g = await makeGroup(team, source.id, { name: '一组', leaderId: leader.id });
		await groups.addGroupMember(scopeFor(team.captain, team, source.id), g.id, v.id);
		const items = (await agenda.getAgenda(as(team.captain), team.teamId, source.id)).items;
		await agenda.updateAgendaItem(scopeFor(team.captain, team, source.id), items[4].id, {
			startTime: items[4].startTime,
			durationMinutes: items[4].durationMinutes,
			title: items[4].title,
			kind: items[4].kind,
			groupIds: [g.id]
		});
		const checklist = await events.getChecklist(as(team.captain), team.teamId, source.id);
		await events.assignChecklistItem(
			scopeFor(team.captain, team, source.id),
			checklist.items[0].id,
			v.id
		);
		await events.setChecklistItemDone(
			scopeFor(team.captain, team, source.id),
			checklist.items[0].id,
			true
		);
		await events.changeStatus(scopeFor(team.captain, team, source.id), 'planned');

		const copy = await events.copyEvent(scopeFor(team.captain, team, source.id), {
			date: inDays(30)
		});
		const page = await events.getEventPage(as(team.captain), team.teamId, copy.id);
		expect(page.event).toMatchObject({
			title: '暑期服务日',
			date: inDays(30),
			status: 'draft',
			venueName: '幸福社区',
			childrenPerAdult: 4
		});
		const copied = await agenda.getAgenda(as(team.captain), team.teamId, copy.id);
		expect(copied.items.map((i) => i.title)).toEqual(items.map((i) => i.title));
		expect(copied.items[4].groups.map((x) => x.name)).toEqual(['一组']);
		expect(copied.items[4].groups[0].id).not.toBe(g.id);
		const copiedGroups = await groups.listGroups(as(team.captain), team.teamId, copy.id);
		expect(copiedGroups.groups).toHaveLength(1);
		expect(copiedGroups.groups[0].leader?.userId).toBe(leader.id);
		expect(copiedGroups.groups[0].members).toEqual([]);
		const copiedList = await events.getChecklist(as(team.captain), team.teamId, copy.id);
		expect(copiedList.items).toHaveLength(7);
		expect(copiedList.items.every((i) => !i.doneAt && !i.assigneeId)).toBe(true);
		expect(copiedList.items[0].dueDate).toBe(inDays(30 - copiedList.items[0].daysBefore));
	});

	it('is Forbidden for a volunteer, NotFound for another team, Invalid without a date', async () => {
		const team = await makeTeam();
		const v = await addMember(team);
		const other = await makeTeam();
		const { id } = await makeEvent(team, { status: 'planned' });
		await expect(
			events.copyEvent(scopeFor(v, team, id), { date: inDays(3) })
		).rejects.toBeInstanceOf(Forbidden);
		await expect(
			events.copyEvent(scopeFor(other.captain, team, id), { date: inDays(3) })
		).rejects.toBeInstanceOf(NotFound);
		await expect(
			events.copyEvent(scopeFor(team.captain, team, id), { date: '' })
		).rejects.toBeInstanceOf(Invalid);
	});
});
