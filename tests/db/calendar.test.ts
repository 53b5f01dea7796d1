import { describe, expect, it } from 'vitest';
import ICAL from 'ical.js';
import { sql } from 'drizzle-orm';
import * as calendar from '../../src/lib/server/calendar';
import * as events from '../../src/lib/server/events';
import { getDb, rowsOf } from '../../src/lib/server/db';
import { NotFound } from '../../src/lib/server/errors';
import { useTestDatabase } from './helpers';
import { addMember, makeTeam } from '../factories/teams';
import { inDays, makeEvent } from '../factories/events';
import { key, makeTask } from '../factories/tasks';
import * as tasks from '../../src/lib/server/tasks';

useTestDatabase();
const as = (user: { id: string }) => ({ userId: user.id });
const ORIGIN = 'https://tongxing.example';

function parse(ics: string) {
	const root = new ICAL.Component(ICAL.parse(ics));
	return {
		root,
		events: root.getAllSubcomponents('vevent').map((c) => ({
			component: c,
			event: new ICAL.Event(c)
		}))
	};
}

/** The wall-clock date and time of an instant in a time zone. */
const wall = (date: Date, timeZone: string) =>
	new Intl.DateTimeFormat('sv-SE', {
		timeZone,
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		hourCycle: 'h23'
	}).format(date);

describe('event .ics', () => {
	it('parses back with the run of show at the right times in the event’s zone', async () => {
		const team = await makeTeam();
		const date = inDays(12);
		const { id } = await events.createEvent(
			as(team.captain),
			team.teamId,
			{
				title: '走进社区，关爱留守儿童——幸福社区服务日（暑期第三站），欢迎所有同学报名参加',
				date,
				startTime: '08:30',
				endTime: '12:30',
				timeZone: 'Asia/Urumqi',
				venueName: '幸福社区活动中心',
				venueAddress: '和平路 12 号',
				meetingPoint: '学校东门'
			},
			{ locale: 'zh-CN' }
		);
		const { body, filename } = await calendar.eventCalendar(
			as(team.captain),
			team.teamId,
			id,
			ORIGIN
		);
		expect(filename).toBe(`event-${date}.ics`);
		// Folded at 75 octets without splitting a Chinese character.
		expect(body.split('\r\n').every((line) => Buffer.byteLength(line) <= 75)).toBe(true);
		const { root, events: parsed } = parse(body);
		expect(root.getFirstPropertyValue('x-wr-timezone')).toBe('Asia/Urumqi');
		const main = parsed.find((p) => p.event.uid === `${id}@tongxing`)!;
		expect(main.event.summary).toContain('幸福社区服务日');
		expect(wall(main.event.startDate.toJSDate(), 'Asia/Urumqi')).toBe(`${date} 08:30`);
		expect(wall(main.event.endDate.toJSDate(), 'Asia/Urumqi')).toBe(`${date} 12:30`);
		// Urumqi is UTC+6: 08:30 there is 02:30 UTC.
		expect(main.event.startDate.toJSDate().toISOString()).toBe(`${date}T02:30:00.000Z`);
		expect(main.event.location).toBe('幸福社区活动中心, 和平路 12 号');
		expect(main.event.description).toContain('学校东门');
		expect(main.event.description).toContain('09:40 节目表演');
		const items = parsed.filter((p) => p !== main);
		expect(items).toHaveLength(10);
		const performance = items.find((p) => p.event.summary.startsWith('节目表演'))!;
		expect(wall(performance.event.startDate.toJSDate(), 'Asia/Urumqi')).toBe(`${date} 09:40`);
		expect(wall(performance.event.endDate.toJSDate(), 'Asia/Urumqi')).toBe(`${date} 10:25`);
	});

	it('is the feed’s calendar for that event: reminders and the person’s own tasks', async () => {
		const team = await makeTeam('信息学院志愿服务队');
		const v = await addMember(team);
		const other = await addMember(team);
		const { id } = await makeEvent(team, { title: '暑期服务日', status: 'planned' });
		const mine = await makeTask(team, id, {
			title: '带音箱',
			startTime: '09:00',
			endTime: '09:30'
		});
		const theirs = await makeTask(team, id, { title: '拍照' });
		await tasks.claimTask({ actor: as(v), teamId: team.teamId, eventId: id }, mine.id, key());
		await tasks.claimTask({ actor: as(other), teamId: team.teamId, eventId: id }, theirs.id, key());
		const download = await calendar.eventCalendar(as(v), team.teamId, id, ORIGIN);
		const { token } = await calendar.createFeed(as(v));
		const feed = await calendar.renderFeed(token, ORIGIN);
		const vevents = (ics: string) =>
			new Map(
				parse(ics).events.map((p) => [
					p.event.uid,
					p.component
						.toString()
						.split('\r\n')
						.filter((line) => !line.startsWith('DTSTAMP'))
						.join('\n')
				])
			);
		const fromDownload = vevents(download.body);
		expect([...fromDownload.keys()].sort()).toEqual(
			[`${id}@tongxing`, `${mine.id}@tongxing`].sort()
		);
		// Event for event, the download says what the feed says.
		const fromFeed = vevents(feed);
		for (const [uid, text] of fromDownload) expect(fromFeed.get(uid), uid).toBe(text);
		const main = parse(download.body).events.find((p) => p.event.uid === `${id}@tongxing`)!;
		expect(main.event.summary).toBe('暑期服务日 · 信息学院志愿服务队');
		const triggers = main.component
			.getAllSubcomponents('valarm')
			.map((a) => String(a.getFirstPropertyValue('trigger')));
		expect(triggers.sort()).toEqual(['-P1D', '-PT1H']);
		const task = parse(download.body).events.find((p) => p.event.uid === `${mine.id}@tongxing`)!;
		expect(task.event.summary).toBe('带音箱 · 暑期服务日');
		expect(wall(task.event.startDate.toJSDate(), 'Asia/Shanghai')).toBe(`${inDays(14)} 09:00`);
	});

	it('is NotFound for another team and for a volunteer on a draft', async () => {
		const team = await makeTeam();
		const v = await addMember(team);
		const other = await makeTeam();
		const { id } = await makeEvent(team);
		await expect(
			calendar.eventCalendar(as(other.captain), team.teamId, id, ORIGIN)
		).rejects.toBeInstanceOf(NotFound);
		await expect(calendar.eventCalendar(as(v), team.teamId, id, ORIGIN)).rejects.toBeInstanceOf(
			NotFound
		);
	});
});

describe('subscription feed', () => {
	it('lists the person’s visible events with reminders a day and an hour before', async () => {
		const team = await makeTeam('信息学院志愿服务队');
		const v = await addMember(team);
		const other = await makeTeam();
		const planned = await makeEvent(team, { title: '暑期服务日', status: 'planned' });
		await makeEvent(team, { title: '草稿' });
		const cancelled = await makeEvent(team, { title: '取消了', status: 'cancelled' });
		await makeEvent(other, { title: '别的队', status: 'planned' });

		const { token } = await calendar.createFeed(as(v));
		expect(await calendar.getFeedStatus(as(v))).toMatchObject({ active: true });
		const { events: parsed } = parse(await calendar.renderFeed(token, ORIGIN));
		const byUid = new Map(parsed.map((p) => [p.event.uid, p]));
		expect([...byUid.keys()].sort()).toEqual(
			[`${planned.id}@tongxing`, `${cancelled.id}@tongxing`].sort()
		);
		const main = byUid.get(`${planned.id}@tongxing`)!;
		expect(main.event.summary).toBe('暑期服务日 · 信息学院志愿服务队');
		expect(wall(main.event.startDate.toJSDate(), 'Asia/Shanghai')).toBe(`${inDays(14)} 08:30`);
		const triggers = main.component
			.getAllSubcomponents('valarm')
			.map((a) => String(a.getFirstPropertyValue('trigger')));
		expect(triggers.sort()).toEqual(['-P1D', '-PT1H']);
		expect(byUid.get(`${cancelled.id}@tongxing`)!.component.getFirstPropertyValue('status')).toBe(
			'CANCELLED'
		);
	});

	it('keeps only the hash, replaces the old secret, and refuses a revoked one', async () => {
		const team = await makeTeam();
		const first = await calendar.createFeed(as(team.captain));
		const rows = rowsOf<{ row: string }>(
			await getDb().execute(sql`select f::text as row from calendar_feeds f`)
		);
		expect(rows.some((r) => r.row.includes(first.token))).toBe(false);

		const second = await calendar.createFeed(as(team.captain));
		await expect(calendar.renderFeed(first.token, ORIGIN)).rejects.toBeInstanceOf(NotFound);
		expect(await calendar.renderFeed(second.token, ORIGIN)).toContain('BEGIN:VCALENDAR');

		await calendar.revokeFeed(as(team.captain));
		await expect(calendar.renderFeed(second.token, ORIGIN)).rejects.toMatchObject({
			code: 'calendar_error_feed_not_found'
		});
		expect(await calendar.getFeedStatus(as(team.captain))).toEqual({
			active: false,
			createdAt: null
		});
		await expect(calendar.renderFeed('not a token', ORIGIN)).rejects.toBeInstanceOf(NotFound);
	});
});
