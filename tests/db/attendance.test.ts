import { describe, expect, it } from 'vitest';
import * as attendance from '../../src/lib/server/attendance';
import * as groups from '../../src/lib/server/groups';
import { completeIntent } from '../../src/lib/server/intents';
import { Conflict, Forbidden, Invalid, NotFound, RateLimited } from '../../src/lib/server/errors';
import { codeFor, isCodeValid, windowOf } from '../../src/lib/server/attendance/code';
import { stayMinutes } from '../../src/lib/server/attendance/hours';
import { eq } from 'drizzle-orm';
import { getDb } from '../../src/lib/server/db';
import { daySettings } from '../../src/lib/server/db/schema';
import { isPostgres, useTestDatabase } from './helpers';
import { as, at, failure, scopeFor } from './values';
import { addMember, makeTeam } from '../factories/teams';
import { makeEvent } from '../factories/events';
import { makeGroup } from '../factories/groups';
import { shownCode } from '../factories/attendance';
import { getEventSummary } from '../../src/lib/server/summary';
import { formatHours, roundHours } from '../../src/lib/day-format';
import { parseCsv } from '../support/csv';

useTestDatabase();
const plus = (d: Date, seconds: number) => new Date(d.getTime() + seconds * 1000);

/** A 6-digit code that is not valid at `now` (neither window). */
/**
 * The ticket with one character changed, in its middle: the last one of a base64 text may hold
 * only padding bits, and replacing it with a fixed letter left it unchanged once in 64 runs.
 */
function tampered(ticket: string): string {
	const i = Math.floor(ticket.length / 2);
	return `${ticket.slice(0, i)}${ticket[i] === 'A' ? 'B' : 'A'}${ticket.slice(i + 1)}`;
}

function wrongCode(secretCode: string): string {
	return String((Number(secretCode) + 1) % 1_000_000).padStart(6, '0');
}

describe('rotating code', () => {
	const secret = 'x'.repeat(43);
	const eventId = '00000000-0000-4000-8000-000000000001';

	it('changes every 30 s; the current and previous windows are accepted, nothing else', () => {
		const start = at('2026-07-01T02:00:00Z'); // a window boundary
		const w = windowOf(start);
		expect(windowOf(plus(start, 29.999))).toBe(w);
		expect(windowOf(plus(start, 30))).toBe(w + 1);
		const code = codeFor(secret, eventId, 'day', w);
		expect(code).toMatch(/^\d{6}$/);
		expect(isCodeValid(secret, eventId, 'day', code, start)).toBe(true);
		expect(isCodeValid(secret, eventId, 'day', code, plus(start, 59.999))).toBe(true);
		// Expired: two windows on.
		expect(isCodeValid(secret, eventId, 'day', code, plus(start, 60))).toBe(false);
		// Not yet: the window before this code's.
		expect(isCodeValid(secret, eventId, 'day', code, plus(start, -0.001))).toBe(false);
		// Per session and per event.
		expect(codeFor(secret, eventId, 'meeting', w)).not.toBe(code);
		expect(codeFor(secret, '00000000-0000-4000-8000-000000000002', 'day', w)).not.toBe(code);
		expect(isCodeValid(secret, eventId, 'day', '12345', start)).toBe(false);
	});
});

describe('check-in', () => {
	it('checks a volunteer in with the shown code; twice is harmless; check-out', async () => {
		const team = await makeTeam();
		const v = await addMember(team);
		const { id } = await makeEvent(team, { status: 'planned' });
		const now = at('2026-07-01T01:00:10Z');
		const code = await shownCode(team, id, now);
		const first = await attendance.checkInWithCode(as(v), id, { code }, { now });
		expect(first).toMatchObject({ teamId: team.teamId, session: 'day', isNew: true });
		// Again, 20 s later and in the next window with the previous code: nothing changes.
		const again = await attendance.checkInWithCode(as(v), id, { code }, { now: plus(now, 25) });
		expect(again.isNew).toBe(false);
		expect(again.checkedInAt.getTime()).toBe(now.getTime());

		await attendance.checkOut(scopeFor(v, team, id), undefined, 'day', plus(now, 3600));
		// Checking out twice keeps the first time.
		await attendance.checkOut(scopeFor(v, team, id), undefined, 'day', plus(now, 7200));
		const mine = await attendance.getMyAttendance(as(v), team.teamId, id);
		expect(mine.mine[0].checkedOutAt?.getTime()).toBe(plus(now, 3600).getTime());
		// Back after leaving: the check-out is undone, the arrival time stays.
		const back = await attendance.checkInWithCode(
			as(v),
			id,
			{ code: await shownCode(team, id, plus(now, 7300)) },
			{ now: plus(now, 7300) }
		);
		expect(back.isNew).toBe(false);
		const after = await attendance.getMyAttendance(as(v), team.teamId, id);
		expect(after.mine[0]).toMatchObject({ checkedInAt: now, checkedOutAt: null });
		expect(after.mine[1]).toMatchObject({ session: 'meeting', checkedInAt: null });
	});

	it('refuses wrong and expired codes', async () => {
		const team = await makeTeam();
		const v = await addMember(team);
		const { id } = await makeEvent(team, { status: 'planned' });
		const now = at('2026-07-01T01:00:00Z');
		const code = await shownCode(team, id, now);
		const expired = await failure(
			attendance.checkInWithCode(as(v), id, { code }, { now: plus(now, 60) })
		);
		expect(expired).toBeInstanceOf(Invalid);
		expect((expired as Invalid).code).toBe('checkin_error_wrong_code');
		const wrong = await failure(
			attendance.checkInWithCode(as(v), id, { code: wrongCode(code) }, { now })
		);
		expect(wrong).toBeInstanceOf(Invalid);
		// The meeting's code is not the day's.
		const meeting = await failure(
			attendance.checkInWithCode(as(v), id, { code, session: 'meeting' }, { now })
		);
		expect(meeting).toBeInstanceOf(Invalid);
		expect(
			await failure(attendance.checkInWithCode(as(v), id, { code: 'abc' }, { now }))
		).toBeInstanceOf(Invalid);
		const board = await attendance.getBoard(as(team.captain), team.teamId, id, 'day', now);
		expect(board.totals.arrived).toBe(0);
	});

	it('limits wrong codes to 5 a minute per person, then refuses even the right one', async () => {
		const team = await makeTeam();
		const v = await addMember(team);
		const other = await addMember(team);
		const { id } = await makeEvent(team, { status: 'planned' });
		const now = at('2026-07-01T01:00:00Z');
		const code = await shownCode(team, id, now);
		for (let i = 0; i < 5; i++) {
			expect(
				await failure(attendance.checkInWithCode(as(v), id, { code: wrongCode(code) }, { now }))
			).toBeInstanceOf(Invalid);
		}
		const limited = await failure(
			attendance.checkInWithCode(as(v), id, { code: wrongCode(code) }, { now })
		);
		expect(limited).toBeInstanceOf(RateLimited);
		expect(await failure(attendance.checkInWithCode(as(v), id, { code }, { now }))).toBeInstanceOf(
			RateLimited
		);
		// Someone else is not held back.
		expect((await attendance.checkInWithCode(as(other), id, { code }, { now })).isNew).toBe(true);
		// A minute later the person may try again.
		const later = plus(now, 61);
		const fresh = await shownCode(team, id, later);
		expect(
			(await attendance.checkInWithCode(as(v), id, { code: fresh }, { now: later })).isNew
		).toBe(true);
	});

	it('refuses another team’s member, drafts and cancelled events; malformed ids are Invalid', async () => {
		const team = await makeTeam();
		const outsider = await makeTeam();
		const { id } = await makeEvent(team, { status: 'planned' });
		const now = at('2026-07-01T01:00:00Z');
		const code = await shownCode(team, id, now);
		expect(
			await failure(attendance.checkInWithCode(as(outsider.captain), id, { code }, { now }))
		).toBeInstanceOf(NotFound);
		expect(
			await failure(attendance.checkInWithCode(as(outsider.captain), 'not-a-uuid', { code }))
		).toBeInstanceOf(Invalid);
		const cancelled = await makeEvent(team, { status: 'cancelled' });
		const c2 = await shownCode(team, cancelled.id, now);
		expect(
			await failure(
				attendance.checkInWithCode(as(team.captain), cancelled.id, { code: c2 }, { now })
			)
		).toBeInstanceOf(Conflict);
		const v = await addMember(team);
		expect(
			await failure(attendance.getCodeScreen(as(v), team.teamId, id, 'day', 'http://x', now))
		).toBeInstanceOf(Forbidden);
	});

	it('completes a QR check-in after sign-in with a ticket; tickets expire after 15 minutes', async () => {
		const team = await makeTeam();
		const v = await addMember(team);
		const { id } = await makeEvent(team, { status: 'planned' });
		const now = new Date();
		const code = await shownCode(team, id, now);
		expect(
			await failure(attendance.issueTicket(id, { code: wrongCode(code) }, '10.0.0.1', now))
		).toBeInstanceOf(Invalid);
		const ticket = await attendance.issueTicket(id, { code }, '10.0.0.1', now);
		const path = `/check-in/${id}?ticket=${ticket}`;
		expect(await completeIntent(v.id, path)).toBe(`/check-in/${id}`);
		const mine = await attendance.getMyAttendance(as(v), team.teamId, id);
		expect(mine.mine[0].checkedInAt).not.toBeNull();
		const old = await attendance.issueTicket(
			id,
			{ code: await shownCode(team, id, plus(now, -900)) },
			'10.0.0.2',
			plus(now, -900)
		);
		const late = await addMember(team);
		expect(await completeIntent(late.id, `/check-in/${id}?ticket=${old}`)).toBe(
			`/check-in/${id}?ticket=${old}`
		);
		expect(
			await failure(attendance.checkInWithTicket(as(late), id, tampered(old), plus(now, -900)))
		).toBeInstanceOf(Invalid);
	});

	it('a meeting ticket lands on the meeting’s check-in page after sign-in', async () => {
		const team = await makeTeam();
		const v = await addMember(team);
		const { id } = await makeEvent(team, { status: 'planned' });
		const now = new Date();
		const code = await shownCode(team, id, now, 'meeting');
		const ticket = await attendance.issueTicket(id, { session: 'meeting', code }, '10.0.0.3', now);
		expect(await completeIntent(v.id, `/check-in/${id}?ticket=${ticket}`)).toBe(
			`/check-in/${id}?session=meeting`
		);
		const mine = await attendance.getMyAttendance(as(v), team.teamId, id);
		expect(mine.mine.find((row) => row.session === 'meeting')?.checkedInAt).not.toBeNull();
	});

	it('lets leaders check their group’s members in and out by hand, captains anyone', async () => {
		const team = await makeTeam();
		const leader = await addMember(team, 'leader');
		const v1 = await addMember(team);
		const v2 = await addMember(team);
		const outsider = await makeTeam();
		const { id } = await makeEvent(team, { status: 'planned' });
		const g = await makeGroup(team, id, { leaderId: leader.id });
		await groups.addGroupMember(
			{ actor: as(team.captain), teamId: team.teamId, eventId: id },
			g.id,
			v1.id
		);
		const now = at('2026-07-01T01:00:00Z');
		expect(
			(await attendance.checkInByHand(scopeFor(leader, team, id), v1.id, 'day', now)).isNew
		).toBe(true);
		expect(
			(await attendance.checkInByHand(scopeFor(leader, team, id), v1.id, 'day', now)).isNew
		).toBe(false);
		expect(
			await failure(attendance.checkInByHand(scopeFor(leader, team, id), v2.id, 'day', now))
		).toBeInstanceOf(Forbidden);
		expect(
			await failure(attendance.checkInByHand(scopeFor(v1, team, id), v2.id, 'day', now))
		).toBeInstanceOf(Forbidden);
		expect(
			await failure(attendance.checkInByHand(scopeFor(outsider.captain, team, id), v2.id))
		).toBeInstanceOf(NotFound);
		await attendance.checkInByHand(scopeFor(team.captain, team, id), v2.id, 'meeting', now);
		await attendance.checkOut(scopeFor(leader, team, id), v1.id, 'day', plus(now, 60));
		expect(
			await failure(attendance.checkOut(scopeFor(leader, team, id), v2.id, 'meeting'))
		).toBeInstanceOf(Forbidden);
		expect(await failure(attendance.checkOut(scopeFor(v2, team, id), v2.id, 'day'))).toBeInstanceOf(
			Conflict
		);
		const day = await attendance.getBoard(as(v1), team.teamId, id, 'day', now);
		expect(day.groups[0].people.find((p) => p.userId === v1.id)?.checkedOutAt).not.toBeNull();
		const meeting = await attendance.getBoard(as(team.captain), team.teamId, id, 'meeting', now);
		expect(meeting.others.map((p) => p.userId)).toEqual([v2.id]);
	});
});

describe('attendance board', () => {
	it('defines the headline: expected, arrived, late (of those here) and left, each person once', async () => {
		const team = await makeTeam();
		const leader = await addMember(team, 'leader');
		const [a, b, c, d, e] = [
			await addMember(team),
			await addMember(team),
			await addMember(team),
			await addMember(team),
			await addMember(team)
		];
		// Starts 2026-07-01 08:30 in Shanghai (00:30 UTC); late after 00:45 UTC.
		const { id } = await makeEvent(team, { status: 'planned', date: '2026-07-01' });
		// One leader leads both groups: one expected person, not two.
		const g1 = await makeGroup(team, id, { leaderId: leader.id });
		const g2 = await makeGroup(team, id, { leaderId: leader.id });
		for (const [g, v] of [
			[g1, a],
			[g1, b],
			[g2, c],
			[g2, d]
		] as const) {
			await groups.addGroupMember(
				{ actor: as(team.captain), teamId: team.teamId, eventId: id },
				g.id,
				v.id
			);
		}
		const hand = (who: { id: string }, iso: string) =>
			attendance.checkInByHand(scopeFor(team.captain, team, id), who.id, 'day', at(iso));
		const out = (who: { id: string }, iso: string) =>
			attendance.checkOut(scopeFor(team.captain, team, id), who.id, 'day', at(iso));
		await hand(leader, '2026-07-01T00:20:00Z'); // on time, then leaves
		await hand(a, '2026-07-01T00:30:00Z'); // on time, here
		await hand(b, '2026-07-01T00:50:00Z'); // late, here
		await hand(c, '2026-07-01T00:55:00Z'); // late, then leaves
		await hand(e, '2026-07-01T01:00:00Z'); // late, here, in no group
		await out(leader, '2026-07-01T01:10:00Z');
		await out(c, '2026-07-01T01:15:00Z');
		const board = await attendance.getBoard(
			as(team.captain),
			team.teamId,
			id,
			'day',
			at('2026-07-01T01:30:00Z')
		);
		expect(board.totals).toEqual({ expected: 5, arrived: 2, late: 1, left: 2, outsideGroups: 1 });
		expect(board.groups.map((g) => [g.expected, g.present])).toEqual([
			[3, 2],
			[3, 0]
		]);
		// Checking in again undoes the check-out: here again, no longer left, still late.
		await hand(c, '2026-07-01T01:20:00Z');
		const again = await attendance.getBoard(
			as(team.captain),
			team.teamId,
			id,
			'day',
			at('2026-07-01T01:30:00Z')
		);
		expect(again.totals).toEqual({ expected: 5, arrived: 3, late: 2, left: 1, outsideGroups: 1 });
	});

	it('counts expected vs present per group, lists who is missing and who came late', async () => {
		const team = await makeTeam();
		const leader = await addMember(team, 'leader');
		const [a, b, c] = [await addMember(team), await addMember(team), await addMember(team)];
		// 2026-07-01 08:30 in Shanghai is 00:30 UTC.
		const { id } = await makeEvent(team, { status: 'planned', date: '2026-07-01' });
		const g1 = await makeGroup(team, id, { leaderId: leader.id });
		const g2 = await makeGroup(team, id);
		for (const [g, v] of [
			[g1, a],
			[g1, b],
			[g2, c]
		] as const) {
			await groups.addGroupMember(
				{ actor: as(team.captain), teamId: team.teamId, eventId: id },
				g.id,
				v.id
			);
		}
		await attendance.checkInByHand(
			scopeFor(team.captain, team, id),
			a.id,
			'day',
			at('2026-07-01T00:40:00Z')
		);
		// 15 minutes after the start is still on time; a minute more is late.
		await attendance.checkInByHand(
			scopeFor(team.captain, team, id),
			leader.id,
			'day',
			at('2026-07-01T00:45:00Z')
		);
		await attendance.checkInByHand(
			scopeFor(team.captain, team, id),
			c.id,
			'day',
			at('2026-07-01T00:46:00Z')
		);
		const board = await attendance.getBoard(
			as(leader),
			team.teamId,
			id,
			'day',
			at('2026-07-01T01:00:00Z')
		);
		expect(board.groups.map((g) => [g.expected, g.present])).toEqual([
			[3, 2],
			[1, 1]
		]);
		const missing = board.groups[0].people.filter((p) => !p.checkedInAt).map((p) => p.userId);
		expect(missing).toEqual([b.id]);
		expect(
			board.groups
				.flatMap((g) => g.people)
				.filter((p) => p.isLate)
				.map((p) => p.userId)
		).toEqual([c.id]);
		expect(board.totals).toEqual({ expected: 4, arrived: 3, late: 1, left: 0, outsideGroups: 0 });
		// The leader may mark their own group only.
		expect(board.groups[0].people.every((p) => p.canMark)).toBe(true);
		expect(board.groups[1].people.some((p) => p.canMark)).toBe(false);
		await attendance.updateDaySettings(scopeFor(team.captain, team, id), {
			lateAfterMinutes: '30',
			meetingTime: '19:30',
			escalateAfterMinutes: '5',
			retentionDays: '90'
		});
		const relaxed = await attendance.getBoard(
			as(a),
			team.teamId,
			id,
			'day',
			at('2026-07-01T01:00:00Z')
		);
		expect(relaxed.totals.late).toBe(0);
		expect(
			await failure(
				attendance.updateDaySettings(scopeFor(leader, team, id), {
					lateAfterMinutes: '1',
					meetingTime: '19:30',
					escalateAfterMinutes: '5',
					retentionDays: '90'
				})
			)
		).toBeInstanceOf(Forbidden);
	});
});

describe('hours', () => {
	it('counts from check-in to check-out, or to the event’s end, flagged, with no check-out', async () => {
		const team = await makeTeam();
		const leader = await addMember(team, 'leader');
		const a = await addMember(team);
		const b = await addMember(team);
		const { id } = await makeEvent(team, {
			status: 'confirmed',
			date: '2026-07-01',
			startTime: '08:30',
			endTime: '12:30'
		});
		const g = await makeGroup(team, id, { name: '一组', leaderId: leader.id });
		await groups.addGroupMember(
			{ actor: as(team.captain), teamId: team.teamId, eventId: id },
			g.id,
			a.id
		);
		await attendance.checkInByHand(
			scopeFor(team.captain, team, id),
			a.id,
			'day',
			at('2026-07-01T00:30:00Z')
		);
		await attendance.checkOut(scopeFor(a, team, id), a.id, 'day', at('2026-07-01T03:45:00Z'));
		await attendance.checkInByHand(
			scopeFor(team.captain, team, id),
			b.id,
			'day',
			at('2026-07-01T01:30:00Z')
		);
		// The meeting is attendance only.
		await attendance.checkInByHand(
			scopeFor(team.captain, team, id),
			b.id,
			'meeting',
			at('2026-06-30T11:00:00Z')
		);

		const page = await attendance.getEventHours(as(team.captain), team.teamId, id);
		const byUser = new Map(page.rows.map((r) => [r.userId, r]));
		expect(byUser.get(a.id)).toMatchObject({ minutes: 195, isEstimated: false, groupName: '一组' });
		// No check-out: until 12:30 Shanghai (04:30 UTC), flagged.
		expect(byUser.get(b.id)).toMatchObject({ minutes: 180, isEstimated: true, groupName: null });
		expect(page.totalMinutes).toBe(375);
		// A leader sees their group's hours, a volunteer their own.
		expect(
			(await attendance.getEventHours(as(leader), team.teamId, id)).rows.map((r) => r.userId)
		).toEqual([a.id]);
		expect(
			(await attendance.getEventHours(as(b), team.teamId, id)).rows.map((r) => r.userId)
		).toEqual([b.id]);
		expect(stayMinutes(at('2026-07-01T05:00:00Z'), null, at('2026-07-01T04:30:00Z')).minutes).toBe(
			0
		);

		const second = await makeEvent(team, { status: 'planned', date: '2026-07-08' });
		await attendance.checkInByHand(
			scopeFor(team.captain, team, second.id),
			a.id,
			'day',
			at('2026-07-08T00:30:00Z')
		);
		await attendance.checkOut(
			scopeFor(a, team, second.id),
			a.id,
			'day',
			at('2026-07-08T01:30:00Z')
		);
		const mine = await attendance.getVolunteerHours(as(a), team.teamId, a.id);
		expect(mine.entries.map((e) => e.minutes)).toEqual([195, 60]);
		expect(mine.totalMinutes).toBe(255);
		expect(
			(await attendance.getVolunteerHours(as(team.captain), team.teamId, a.id)).totalMinutes
		).toBe(255);
		expect(await failure(attendance.getVolunteerHours(as(b), team.teamId, a.id))).toBeInstanceOf(
			Forbidden
		);
		const outsider = await makeTeam();
		expect(
			await failure(attendance.getVolunteerHours(as(outsider.captain), team.teamId, a.id))
		).toBeInstanceOf(NotFound);
	});

	it('rounds hours by one rule, one decimal: the summary, the hours page and the CSV agree', async () => {
		const team = await makeTeam();
		const { id } = await makeEvent(team, { status: 'planned', date: '2026-07-01' });
		// Stays of 1, 2, 418 and 419 minutes: 0.02 / 0.03 / 6.97 / 6.98 hours exactly.
		const stays = [1, 2, 418, 419];
		for (const minutes of stays) {
			const v = await addMember(team);
			const inAt = at('2026-07-01T00:30:00Z');
			await attendance.checkInByHand(scopeFor(team.captain, team, id), v.id, 'day', inAt);
			const outAt = new Date(inAt.getTime() + minutes * 60_000);
			await attendance.checkOut(scopeFor(team.captain, team, id), v.id, 'day', outAt);
		}
		const byMinutes = (rows: { minutes: number }[]) =>
			[...rows].sort((x, y) => x.minutes - y.minutes).map((r) => r.minutes);
		const page = await attendance.getEventHours(as(team.captain), team.teamId, id);
		const summary = await getEventSummary(as(team.captain), team.teamId, id);
		expect(byMinutes(page.rows)).toEqual(stays);
		expect(byMinutes(summary.volunteers.rows)).toEqual(stays);
		const shown = stays.map((n) => formatHours(n, 'zh-CN'));
		expect(shown).toEqual(['0.0', '0.0', '7.0', '7.0']);
		expect(formatHours(summary.volunteers.totalMinutes, 'en')).toBe('14.0');
		const header = { name: 'n', group: 'g', in: 'i', out: 'o', hours: 'h', estimated: 'e' };
		const csv = await attendance.eventHoursCsv(as(team.captain), team.teamId, id, header);
		const csvHours = parseCsv(csv.body.replace(/^\uFEFF/, ''))
			.slice(1)
			.map((r) => r[4])
			.sort();
		expect(csvHours).toEqual(['0.0', '0.0', '7.0', '7.0']);
		expect(roundHours(3)).toBe(0.1);
		expect(roundHours(417)).toBe(7);
		expect(roundHours(416)).toBe(6.9);
	});

	it('exports CSV in UTF-8 with a BOM that parses back, Chinese names intact', async () => {
		const team = await makeTeam();
		const a = await addMember(team);
		const { id } = await makeEvent(team, { status: 'planned', date: '2026-07-01' });
		const g = await makeGroup(team, id, { name: '二组, "星星"' });
		await groups.addGroupMember(
			{ actor: as(team.captain), teamId: team.teamId, eventId: id },
			g.id,
			a.id
		);
		await attendance.checkInByHand(
			scopeFor(team.captain, team, id),
			a.id,
			'day',
			at('2026-07-01T00:30:00Z')
		);
		await attendance.checkOut(scopeFor(a, team, id), a.id, 'day', at('2026-07-01T02:00:00Z'));
		const header = {
			name: '姓名',
			group: '小组',
			in: '签到',
			out: '签退',
			hours: '时长',
			estimated: '估算'
		};
		const csv = await attendance.eventHoursCsv(as(team.captain), team.teamId, id, header);
		const bytes = Buffer.from(csv.body, 'utf8');
		expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		const text = new TextDecoder('utf-8').decode(bytes);
		expect(text.startsWith('姓名')).toBe(true);
		const rows = parseCsv(text);
		expect(rows[0]).toEqual(['姓名', '小组', '签到', '签退', '时长', '估算']);
		expect(rows[1]).toEqual([
			expect.any(String),
			'二组, "星星"',
			'2026-07-01 08:30',
			'2026-07-01 10:00',
			'1.5',
			''
		]);
		expect(await failure(attendance.eventHoursCsv(as(a), team.teamId, id, header))).toBeInstanceOf(
			Forbidden
		);
	});
});

describe.runIf(isPostgres)('check-in under concurrency', () => {
	it('records one arrival however many times the same person presses at once', async () => {
		const team = await makeTeam();
		const v = await addMember(team);
		const { id } = await makeEvent(team, { status: 'planned' });
		const now = new Date();
		const code = await shownCode(team, id, now);
		const results = await Promise.all(
			Array.from({ length: 8 }, () => attendance.checkInWithCode(as(v), id, { code }, { now }))
		);
		expect(results.filter((r) => r.isNew)).toHaveLength(1);
		const board = await attendance.getBoard(as(team.captain), team.teamId, id, 'day', now);
		expect(board.others.map((p) => p.userId)).toEqual([v.id]);
	});
});

describe('refusals write nothing', () => {
	it('a wrong code before any code was shown makes no settings row', async () => {
		const team = await makeTeam();
		const v = await addMember(team);
		const { id } = await makeEvent(team, { status: 'planned' });
		expect(await failure(attendance.checkInWithCode(as(v), id, { code: '123456' }))).toBeInstanceOf(
			Invalid
		);
		const settings = await getDb().select().from(daySettings).where(eq(daySettings.eventId, id));
		expect(settings).toEqual([]);
	});

	it("a captain's hand check-out of someone of another team is NotFound, not a Conflict", async () => {
		const team = await makeTeam();
		const outsider = await makeTeam();
		const { id } = await makeEvent(team, { status: 'planned' });
		expect(
			await failure(
				attendance.checkOut(scopeFor(team.captain, team, id), outsider.captain.id, 'day')
			)
		).toBeInstanceOf(NotFound);
	});
});
