import { describe, expect, it } from 'vitest';
import * as events from '../../src/lib/server/events';
import { canReadTopic } from '../../src/lib/server/realtime';
import { getDb } from '../../src/lib/server/db';
import { Conflict, Forbidden, Invalid, NotFound } from '../../src/lib/server/errors';
import { useTestDatabase } from './helpers';
import { addMember, makeTeam } from '../factories/teams';
import { inDays, makeEvent } from '../factories/events';

useTestDatabase();
import { as, scopeFor } from './values';

describe('createEvent', () => {
	it('creates a draft with the outreach-day template in the captain’s language', async () => {
		const team = await makeTeam();
		const { id } = await events.createEvent(
			as(team.captain),
			team.teamId,
			{ title: '走进社区，关爱留守儿童', date: inDays(10), startTime: '08:00', endTime: '12:30' },
			{ locale: 'zh-CN' }
		);
		const page = await events.getEventPage(as(team.captain), team.teamId, id);
		expect(page.event.status).toBe('draft');
		expect(page.event.timeZone).toBe('Asia/Shanghai');
		expect(page.event.childrenPerAdult).toBe(5);
		expect(page.agenda.map((a) => [a.startTime, a.title])).toEqual([
			['08:00:00', '到达社区，帮助打扫卫生'],
			['08:30:00', '布置场地'],
			['08:50:00', '认识孩子们，分成小组'],
			['09:10:00', '节目表演'],
			['09:55:00', '分组学习辅导'],
			['10:40:00', '安全知识与急救讲解'],
			['11:00:00', expect.any(String)],
			['11:00:00', expect.any(String)],
			['11:30:00', '合影留念'],
			['11:45:00', '发放捐赠书籍和小礼物']
		]);
		const checklist = await events.getChecklist(as(team.captain), team.teamId, id);
		expect(checklist.items).toHaveLength(7);
		const contact = checklist.items.find((i) => i.title.startsWith('提前一周联系社区'));
		expect(contact).toMatchObject({ daysBefore: 7, dueDate: inDays(3), isOverdue: false });
		expect(checklist.items.at(-1)).toMatchObject({ daysBefore: 1, dueDate: inDays(9) });
	});

	it('writes the template in English for an English-speaking captain, or none at all', async () => {
		const team = await makeTeam();
		const en = await events.createEvent(
			as(team.captain),
			team.teamId,
			{ title: 'Outreach day', date: inDays(10), startTime: '09:00', endTime: '13:00' },
			{ locale: 'en' }
		);
		expect((await events.getEventPage(as(team.captain), team.teamId, en.id)).agenda[0].title).toBe(
			'Arrive and help clean up'
		);
		const bare = await makeEvent(team, { useTemplate: false });
		expect((await events.getEventPage(as(team.captain), team.teamId, bare.id)).agenda).toEqual([]);
		expect((await events.getChecklist(as(team.captain), team.teamId, bare.id)).items).toEqual([]);
	});

	it('refuses bad input with field messages and writes nothing', async () => {
		const team = await makeTeam();
		const attempt = events.createEvent(as(team.captain), team.teamId, {
			title: ' ',
			date: '2026-02-30',
			startTime: '10:00',
			endTime: '09:00',
			timeZone: 'Mars/Olympus',
			expectedChildren: '-3',
			teacherPhone: 'call me'
		});
		await expect(attempt).rejects.toBeInstanceOf(Invalid);
		await expect(attempt).rejects.toMatchObject({
			fields: {
				title: ['events_error_title_required'],
				date: ['events_error_date_invalid'],
				timeZone: ['events_error_time_zone_invalid'],
				expectedChildren: ['events_error_children_invalid'],
				teacherPhone: ['events_error_phone_invalid']
			}
		});
		await expect(
			events.createEvent(as(team.captain), team.teamId, {
				title: 'x',
				date: inDays(1),
				startTime: '10:00',
				endTime: '09:00'
			})
		).rejects.toMatchObject({ fields: { endTime: ['events_error_end_before_start'] } });
		expect((await events.listTeamEvents(as(team.captain), team.teamId)).upcoming).toEqual([]);
	});

	it('is Forbidden for leaders and volunteers, NotFound for another team', async () => {
		const team = await makeTeam();
		const leader = await addMember(team, 'leader');
		const other = await makeTeam();
		const input = { title: 'x', date: inDays(3), startTime: '09:00', endTime: '10:00' };
		await expect(events.createEvent(as(leader), team.teamId, input)).rejects.toBeInstanceOf(
			Forbidden
		);
		await expect(events.createEvent(as(other.captain), team.teamId, input)).rejects.toBeInstanceOf(
			NotFound
		);
	});
});

describe('visibility and the team list', () => {
	it('hides drafts from everyone but captains; other teams see nothing', async () => {
		const team = await makeTeam();
		const volunteer = await addMember(team);
		const other = await makeTeam();
		const draft = await makeEvent(team, { title: '草稿' });
		const planned = await makeEvent(team, { title: '已发布', status: 'planned' });
		const past = await makeEvent(team, { title: '去年', date: inDays(-30), status: 'completed' });

		const byCaptain = await events.listTeamEvents(as(team.captain), team.teamId);
		expect(byCaptain.upcoming.map((e) => e.title).sort()).toEqual(['已发布', '草稿']);
		expect(byCaptain.past.map((e) => e.id)).toEqual([past.id]);
		expect(byCaptain.canCreate).toBe(true);

		const byVolunteer = await events.listTeamEvents(as(volunteer), team.teamId);
		expect(byVolunteer.upcoming.map((e) => e.id)).toEqual([planned.id]);
		expect(byVolunteer.canCreate).toBe(false);
		await expect(events.getEventPage(as(volunteer), team.teamId, draft.id)).rejects.toBeInstanceOf(
			NotFound
		);
		expect((await events.getEventPage(as(volunteer), team.teamId, planned.id)).isCaptain).toBe(
			false
		);

		await expect(events.listTeamEvents(as(other.captain), team.teamId)).rejects.toBeInstanceOf(
			NotFound
		);
		await expect(
			events.getEventPage(as(other.captain), team.teamId, planned.id)
		).rejects.toBeInstanceOf(NotFound);
		// An event id under the wrong team's URL is not found either.
		await expect(
			events.getEventPage(as(other.captain), other.teamId, planned.id)
		).rejects.toBeInstanceOf(NotFound);
	});

	it('lets the realtime topic follow the same rule', async () => {
		const team = await makeTeam();
		const volunteer = await addMember(team);
		const other = await makeTeam();
		const event = await makeEvent(team);
		const topic = `event:${event.id}`;
		expect(await canReadTopic(getDb(), topic, team.captain.id)).toBe(true);
		expect(await canReadTopic(getDb(), topic, volunteer.id)).toBe(false);
		await events.changeStatus(scopeFor(team.captain, team, event.id), 'planned');
		expect(await canReadTopic(getDb(), topic, volunteer.id)).toBe(true);
		expect(await canReadTopic(getDb(), topic, other.captain.id)).toBe(false);
		expect(await canReadTopic(getDb(), `team:${team.teamId}`, volunteer.id)).toBe(true);
	});
});

describe('changeStatus', () => {
	it('walks draft → planned → confirmed → completed and refuses illegal moves', async () => {
		const team = await makeTeam();
		const { id } = await makeEvent(team);
		const captain = as(team.captain);
		await expect(
			events.changeStatus({ actor: captain, teamId: team.teamId, eventId: id }, 'confirmed')
		).rejects.toMatchObject({
			code: 'events_error_transition'
		});
		await expect(
			events.changeStatus({ actor: captain, teamId: team.teamId, eventId: id }, 'completed')
		).rejects.toBeInstanceOf(Conflict);
		await events.changeStatus({ actor: captain, teamId: team.teamId, eventId: id }, 'planned');
		await expect(
			events.changeStatus({ actor: captain, teamId: team.teamId, eventId: id }, 'draft')
		).rejects.toBeInstanceOf(Conflict);
		await events.changeStatus({ actor: captain, teamId: team.teamId, eventId: id }, 'confirmed');
		await events.changeStatus({ actor: captain, teamId: team.teamId, eventId: id }, 'completed');
		const page = await events.getEventPage(captain, team.teamId, id);
		expect(page.event.status).toBe('completed');
		expect(page.isOpen).toBe(false);
		expect(page.nextStatuses).toEqual([]);
		await expect(
			events.changeStatus({ actor: captain, teamId: team.teamId, eventId: id }, 'cancelled')
		).rejects.toBeInstanceOf(Conflict);
		await expect(
			events.changeStatus({ actor: captain, teamId: team.teamId, eventId: id }, 'archived' as never)
		).rejects.toBeInstanceOf(Invalid);
	});

	it('cancels from any open status; a cancelled event is closed to plan changes', async () => {
		const team = await makeTeam();
		for (const status of ['draft', 'planned', 'confirmed'] as const) {
			const { id } = await makeEvent(team, { status });
			await events.changeStatus(scopeFor(team.captain, team, id), 'cancelled');
			await expect(
				events.changeStatus(scopeFor(team.captain, team, id), 'planned')
			).rejects.toBeInstanceOf(Conflict);
			await expect(
				events.updateEvent(scopeFor(team.captain, team, id), {
					title: 'x',
					date: inDays(2),
					startTime: '09:00',
					endTime: '10:00'
				})
			).rejects.toMatchObject({ code: 'events_error_closed' });
		}
	});

	it('is Forbidden for a leader, NotFound for another team', async () => {
		const team = await makeTeam();
		const leader = await addMember(team, 'leader');
		const other = await makeTeam();
		const { id } = await makeEvent(team, { status: 'planned' });
		await expect(
			events.changeStatus(scopeFor(leader, team, id), 'confirmed')
		).rejects.toBeInstanceOf(Forbidden);
		await expect(
			events.changeStatus(scopeFor(other.captain, team, id), 'confirmed')
		).rejects.toBeInstanceOf(NotFound);
	});
});

describe('updateEvent', () => {
	it('saves the details; the checklist follows a new date', async () => {
		const team = await makeTeam();
		const { id } = await makeEvent(team);
		await events.addChecklistItem(scopeFor(team.captain, team, id), {
			title: '联系社区',
			daysBefore: 7
		});
		await events.updateEvent(scopeFor(team.captain, team, id), {
			title: '新名称',
			date: inDays(20),
			startTime: '09:00',
			endTime: '17:00',
			timeZone: 'Asia/Urumqi',
			venueName: '幸福社区活动中心',
			expectedChildren: '40',
			childrenPerAdult: '4',
			nearestHospital: '县人民医院'
		});
		const { event } = await events.getEvent(as(team.captain), team.teamId, id);
		expect(event).toMatchObject({
			title: '新名称',
			startTime: '09:00:00',
			endTime: '17:00:00',
			timeZone: 'Asia/Urumqi',
			venueName: '幸福社区活动中心',
			expectedChildren: 40,
			childrenPerAdult: 4,
			nearestHospital: '县人民医院',
			theme: null
		});
		const checklist = await events.getChecklist(as(team.captain), team.teamId, id);
		expect(checklist.items[0].dueDate).toBe(inDays(13));
	});

	it('is Forbidden for a volunteer, NotFound for another team', async () => {
		const team = await makeTeam();
		const volunteer = await addMember(team);
		const other = await makeTeam();
		const { id } = await makeEvent(team, { status: 'planned' });
		const input = { title: 'x', date: inDays(2), startTime: '09:00', endTime: '10:00' };
		await expect(events.updateEvent(scopeFor(volunteer, team, id), input)).rejects.toBeInstanceOf(
			Forbidden
		);
		await expect(
			events.updateEvent(scopeFor(other.captain, team, id), input)
		).rejects.toBeInstanceOf(NotFound);
	});
});

describe('checklist', () => {
	it('marks overdue only what fell due after the event was created', async () => {
		const team = await makeTeam();
		const { id } = await makeEvent(team, { date: inDays(10), status: 'planned' });
		const add = (title: string, daysBefore: number) =>
			events.addChecklistItem(scopeFor(team.captain, team, id), { title, daysBefore });
		await add('两周前', 14);
		await add('一周前', 7);
		await add('前一天', 1);
		const at = async (now: Date) => {
			const list = await events.getChecklist(as(team.captain), team.teamId, id, now);
			return Object.fromEntries(
				list.items.map((i) => [i.title, i.isOverdue ? 'overdue' : i.isDueNow ? 'now' : 'later'])
			);
		};
		expect(await at(new Date())).toEqual({ 两周前: 'now', 一周前: 'later', 前一天: 'later' });
		// Five days on, the item due three days after creation has slipped; the other is still to do.
		const later = new Date(Date.now() + 5 * 24 * 3600_000);
		expect(await at(later)).toEqual({ 两周前: 'now', 一周前: 'overdue', 前一天: 'later' });
	});

	it('assigns, checks off with who and when, and marks overdue items', async () => {
		const team = await makeTeam();
		const volunteer = await addMember(team);
		const { id } = await makeEvent(team, { date: inDays(5), status: 'planned' });
		const late = await events.addChecklistItem(scopeFor(team.captain, team, id), {
			title: '联系社区',
			daysBefore: '7'
		});
		const soon = await events.addChecklistItem(scopeFor(team.captain, team, id), {
			title: '动员大会',
			daysBefore: 1
		});
		await events.assignChecklistItem(scopeFor(team.captain, team, id), soon.id, volunteer.id);

		let list = await events.getChecklist(as(volunteer), team.teamId, id);
		expect(list.members).toEqual([]);
		const byTitle = (t: string) => list.items.find((i) => i.title === t)!;
		// Due two days before the event was even created: to do now, not overdue.
		expect(byTitle('联系社区')).toMatchObject({
			isOverdue: false,
			isDueNow: true,
			canCheck: false
		});
		expect(byTitle('动员大会')).toMatchObject({
			isOverdue: false,
			canCheck: true,
			assigneeId: volunteer.id
		});

		await expect(
			events.setChecklistItemDone(scopeFor(volunteer, team, id), late.id, true)
		).rejects.toMatchObject({ code: 'checklist_error_not_yours' });
		await events.setChecklistItemDone(scopeFor(volunteer, team, id), soon.id, true);
		await events.setChecklistItemDone(scopeFor(team.captain, team, id), late.id, true);
		list = await events.getChecklist(as(team.captain), team.teamId, id);
		expect(byTitle('联系社区')).toMatchObject({ isOverdue: false, isDueNow: false });
		expect(byTitle('联系社区').doneByName).toBeTruthy();
		const done = list.items.find((i) => i.id === soon.id)!;
		expect(done.doneAt).toBeInstanceOf(Date);
		expect(list.members.length).toBe(2);

		await events.setChecklistItemDone(scopeFor(volunteer, team, id), soon.id, false);
		list = await events.getChecklist(as(team.captain), team.teamId, id);
		expect(list.items.find((i) => i.id === soon.id)).toMatchObject({
			doneAt: null,
			doneByName: null
		});
		await events.removeChecklistItem(scopeFor(team.captain, team, id), late.id);
		expect((await events.getChecklist(as(team.captain), team.teamId, id)).items).toHaveLength(1);
	});

	it('refuses another team, volunteers planning, strangers as assignees and bad ids', async () => {
		const team = await makeTeam();
		const volunteer = await addMember(team);
		const other = await makeTeam();
		const { id } = await makeEvent(team, { status: 'planned' });
		const item = await events.addChecklistItem(scopeFor(team.captain, team, id), {
			title: 'a',
			daysBefore: 2
		});
		await expect(
			events.addChecklistItem(scopeFor(volunteer, team, id), { title: 'b', daysBefore: 1 })
		).rejects.toBeInstanceOf(Forbidden);
		await expect(
			events.addChecklistItem(scopeFor(team.captain, team, id), { title: 'b', daysBefore: 400 })
		).rejects.toMatchObject({ fields: { daysBefore: ['checklist_error_days_invalid'] } });
		for (const attempt of [
			() =>
				events.addChecklistItem(scopeFor(other.captain, team, id), { title: 'b', daysBefore: 1 }),
			() => events.assignChecklistItem(scopeFor(other.captain, team, id), item.id, null),
			() => events.setChecklistItemDone(scopeFor(other.captain, team, id), item.id, true),
			() => events.removeChecklistItem(scopeFor(other.captain, team, id), item.id),
			() => events.assignChecklistItem(scopeFor(team.captain, team, id), item.id, other.captain.id)
		]) {
			await expect(attempt()).rejects.toBeInstanceOf(NotFound);
		}
		await expect(
			events.assignChecklistItem(scopeFor(team.captain, team, id), 'nope', null)
		).rejects.toBeInstanceOf(Invalid);
	});
});

describe('announcements', () => {
	it('captains post, members read newest first', async () => {
		const team = await makeTeam();
		const volunteer = await addMember(team);
		const { id } = await makeEvent(team, { status: 'planned' });
		await events.postAnnouncement(scopeFor(team.captain, team, id), { body: '请带水' });
		const second = await events.postAnnouncement(scopeFor(team.captain, team, id), {
			body: '集合地点改到学校东门'
		});
		const page = await events.getEventPage(as(volunteer), team.teamId, id);
		expect(page.announcements.map((a) => a.body)).toEqual(['集合地点改到学校东门', '请带水']);
		await expect(
			events.postAnnouncement(scopeFor(volunteer, team, id), { body: 'x' })
		).rejects.toBeInstanceOf(Forbidden);
		await expect(
			events.postAnnouncement(scopeFor(team.captain, team, id), { body: '  ' })
		).rejects.toBeInstanceOf(Invalid);
		await expect(
			events.deleteAnnouncement(scopeFor(volunteer, team, id), second.id)
		).rejects.toBeInstanceOf(Forbidden);
		await events.deleteAnnouncement(scopeFor(team.captain, team, id), second.id);
		await expect(
			events.deleteAnnouncement(scopeFor(team.captain, team, id), second.id)
		).rejects.toBeInstanceOf(NotFound);
		expect((await events.getEventPage(as(volunteer), team.teamId, id)).announcements).toHaveLength(
			1
		);
	});

	it('is NotFound for another team', async () => {
		const team = await makeTeam();
		const other = await makeTeam();
		const { id } = await makeEvent(team, { status: 'planned' });
		const posted = await events.postAnnouncement(scopeFor(team.captain, team, id), { body: 'a' });
		await expect(
			events.postAnnouncement(scopeFor(other.captain, team, id), { body: 'x' })
		).rejects.toBeInstanceOf(NotFound);
		await expect(
			events.deleteAnnouncement(scopeFor(other.captain, team, id), posted.id)
		).rejects.toBeInstanceOf(NotFound);
	});
});
