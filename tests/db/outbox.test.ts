// What a phone's outbox sends when the connection returns: each item once (its idempotency key,
// taken in the command's transaction), a check-in code read offline accepted only if it was on
// the screen near the moment the phone read it and within OFFLINE_CHECKIN_MAX, the time recorded
// the code's own window (never the phone's clock), incidents stamped reported / received.
import { describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import * as attendance from '../../src/lib/server/attendance';
import * as incidents from '../../src/lib/server/incidents';
import * as events from '../../src/lib/server/events';
import { Invalid } from '../../src/lib/server/errors';
import { getDb } from '../../src/lib/server/db';
import {
	announcements,
	daySettings,
	attendance as attendanceTable,
	incidents as incidentsTable,
	outboxKeys
} from '../../src/lib/server/db/schema';
import { codeFor, windowEnd, windowOf } from '../../src/lib/server/attendance/code';
import { actedAt, readQueued } from '../../src/lib/server/outbox';
import { isPostgres, useTestDatabase } from './helpers';
import { as, at, failure, scopeFor } from './values';
import { addMember, makeTeam } from '../factories/teams';
import { makeEvent } from '../factories/events';
import { makeGroup } from '../factories/groups';
import { shownCode } from '../factories/attendance';
import * as groups from '../../src/lib/server/groups';

useTestDatabase();
const minutes = (n: number) => n * 60_000;
const later = (d: Date, ms: number) => new Date(d.getTime() + ms);
const key = () => crypto.randomUUID();

async function attendanceRows(eventId: string, userId: string) {
	return getDb()
		.select()
		.from(attendanceTable)
		.where(and(eq(attendanceTable.eventId, eventId), eq(attendanceTable.userId, userId)));
}

async function secretOf(team: Awaited<ReturnType<typeof makeTeam>>, eventId: string, now: Date) {
	// The screen makes the settings (and the secret) on first use.
	await shownCode(team, eventId, now);
	const [row] = await getDb().select().from(daySettings).where(eq(daySettings.eventId, eventId));
	return row.codeSecret;
}

describe('outbox fields', () => {
	it('reads the key and the wait; a malformed one is the usual refusal', () => {
		expect.assertions(4);
		const k = key();
		expect(readQueued({ outboxKey: k, waitedMs: '1200' })).toEqual({ key: k, waitedMs: 1200 });
		expect(readQueued({})).toEqual({ key: undefined, waitedMs: 0 });
		expect(() => readQueued({ outboxKey: 'x' })).toThrow(Invalid);
		expect(() => readQueued({ waitedMs: '-5' })).toThrow(Invalid);
	});

	it('dates an act by the wait, never in the future nor beyond the limit', () => {
		const now = at('2026-07-01T03:00:00Z');
		expect(actedAt(now, { waitedMs: minutes(10) }, minutes(120))).toEqual(
			at('2026-07-01T02:50:00Z')
		);
		expect(actedAt(now, { waitedMs: minutes(500) }, minutes(120))).toEqual(
			at('2026-07-01T01:00:00Z')
		);
		expect(actedAt(now, undefined, minutes(120))).toEqual(now);
	});
});

describe('a check-in code read offline', () => {
	it('is accepted later, once, dated by the end of its own window', async () => {
		const team = await makeTeam();
		const v = await addMember(team);
		const { id } = await makeEvent(team, { status: 'planned' });
		const scanned = at('2026-07-01T01:00:10Z');
		const code = await shownCode(team, id, scanned);
		const arrival = later(scanned, minutes(40));
		const outboxKey = key();
		// The phone counted 40 minutes (and a few seconds of transit it could not count).
		const queued = { key: outboxKey, waitedMs: minutes(40) - 3_000 };
		const first = await attendance.checkInWithCode(as(v), id, { code }, { now: arrival, queued });
		expect(first.isNew).toBe(true);
		expect(first.checkedInAt).toEqual(windowEnd(windowOf(scanned)));
		// Its answer was lost; the phone sends it again: nothing changes.
		const again = await attendance.checkInWithCode(
			as(v),
			id,
			{ code },
			{ now: later(arrival, 5_000), queued }
		);
		expect(again.isNew).toBe(false);
		const rows = await attendanceRows(id, v.id);
		expect(rows).toHaveLength(1);
		expect(rows[0].checkedInAt).toEqual(windowEnd(windowOf(scanned)));
		// Checked out since: the repeat of the old check-in (its wait counted on, and even one
		// that would no longer prove anything) does not undo the check-out.
		await attendance.checkOut(scopeFor(v, team, id), v.id, 'day', later(arrival, minutes(1)));
		for (const waitedMs of [queued.waitedMs + minutes(2), 5]) {
			await attendance.checkInWithCode(
				as(v),
				id,
				{ code },
				{ now: later(arrival, minutes(2)), queued: { key: outboxKey, waitedMs } }
			);
		}
		expect((await attendanceRows(id, v.id))[0].checkedOutAt).not.toBeNull();
		const keys = await getDb().select().from(outboxKeys).where(eq(outboxKeys.key, outboxKey));
		expect(keys).toMatchObject([{ userId: v.id, kind: 'check_in', eventId: id }]);
	});

	it('a forged code is refused with the usual message, writes nothing and counts as a guess', async () => {
		const team = await makeTeam();
		const v = await addMember(team);
		const { id } = await makeEvent(team, { status: 'planned' });
		const scanned = at('2026-07-01T01:00:10Z');
		const code = await shownCode(team, id, scanned);
		const forged = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
		const err = await failure(
			attendance.checkInWithCode(
				as(v),
				id,
				{ code: forged },
				{ now: later(scanned, minutes(30)), queued: { key: key(), waitedMs: minutes(30) } }
			)
		);
		expect(err).toBeInstanceOf(Invalid);
		expect((err as Invalid).code).toBe('checkin_error_wrong_code');
		expect(await attendanceRows(id, v.id)).toHaveLength(0);
		expect(await getDb().select().from(outboxKeys).where(eq(outboxKeys.userId, v.id))).toHaveLength(
			0
		);
	});

	it('is searched only near the moment the phone read it: a code from another hour proves nothing', async () => {
		const team = await makeTeam();
		const v = await addMember(team);
		const { id } = await makeEvent(team, { status: 'planned' });
		const now = at('2026-07-01T03:00:00Z');
		const secret = await secretOf(team, id, now);
		// Valid 90 minutes ago, but the phone says it read it 10 minutes ago.
		const old = codeFor(secret, id, 'day', windowOf(later(now, -minutes(90))));
		const err = await failure(
			attendance.checkInWithCode(
				as(v),
				id,
				{ code: old },
				{ now, queued: { key: key(), waitedMs: minutes(10) } }
			)
		);
		expect((err as Invalid).code).toBe('checkin_error_wrong_code');
		// A code of a window still to come is never accepted, whatever the phone says.
		const future = codeFor(secret, id, 'day', windowOf(now) + 2);
		const ahead = await failure(
			attendance.checkInWithCode(
				as(v),
				id,
				{ code: future },
				{ now, queued: { key: key(), waitedMs: 1 } }
			)
		);
		expect((ahead as Invalid).code).toBe('checkin_error_wrong_code');
		expect(await attendanceRows(id, v.id)).toHaveLength(0);
	});

	it('waiting longer than OFFLINE_CHECKIN_MAX is refused, saying so', async () => {
		const team = await makeTeam();
		const v = await addMember(team);
		const { id } = await makeEvent(team, { status: 'planned' });
		const scanned = at('2026-07-01T01:00:10Z');
		const code = await shownCode(team, id, scanned);
		const err = await failure(
			attendance.checkInWithCode(
				as(v),
				id,
				{ code },
				{
					now: later(scanned, minutes(121)),
					queued: { key: key(), waitedMs: minutes(121) }
				}
			)
		);
		expect((err as Invalid).code).toBe('checkin_error_offline_too_old');
		expect(await attendanceRows(id, v.id)).toHaveLength(0);
	});
});

describe('other queued commands', () => {
	it('an incident sent late keeps when it was reported and when it was received, once', async () => {
		const team = await makeTeam();
		const v = await addMember(team);
		const { id: eventId } = await makeEvent(team, { status: 'planned' });
		const now = at('2026-07-01T02:58:00Z');
		const queued = { key: key(), waitedMs: minutes(17) };
		const report = { category: 'venue', severity: 'high', description: '场地的电线松了' };
		const first = await incidents.reportIncident(
			{ actor: as(v), teamId: team.teamId, eventId },
			report,
			now,
			queued
		);
		const again = await incidents.reportIncident(
			{ actor: as(v), teamId: team.teamId, eventId },
			report,
			later(now, 10_000),
			queued
		);
		expect(again.id).toBe(first.id);
		const rows = await getDb()
			.select()
			.from(incidentsTable)
			.where(eq(incidentsTable.eventId, eventId));
		expect(rows).toHaveLength(1);
		expect(rows[0].createdAt).toEqual(now);
		expect(rows[0].reportedAt).toEqual(at('2026-07-01T02:41:00Z'));
		const list = await incidents.listIncidents(as(team.captain), team.teamId, eventId, now);
		expect(list.incidents[0]).toMatchObject({
			reportedAt: at('2026-07-01T02:41:00Z'),
			createdAt: now
		});
		// A phone that claims a day's wait is bounded by the offline limit.
		const bounded = await incidents.reportIncident(
			{ actor: as(v), teamId: team.teamId, eventId },
			report,
			now,
			{
				key: key(),
				waitedMs: minutes(24 * 60)
			}
		);
		const [row] = await getDb()
			.select()
			.from(incidentsTable)
			.where(eq(incidentsTable.id, bounded.id));
		expect(row.reportedAt).toEqual(later(now, -minutes(120)));
	});

	it('an announcement queued offline is posted once', async () => {
		const team = await makeTeam();
		const { id: eventId } = await makeEvent(team, { status: 'planned' });
		const queued = { key: key(), waitedMs: minutes(3) };
		const body = { body: '集合地点改到操场' };
		const a = await events.postAnnouncement(
			{ actor: as(team.captain), teamId: team.teamId, eventId },
			body,
			queued
		);
		const b = await events.postAnnouncement(
			{ actor: as(team.captain), teamId: team.teamId, eventId },
			body,
			queued
		);
		expect(b.id).toBe(a.id);
		const rows = await getDb()
			.select()
			.from(announcements)
			.where(eq(announcements.eventId, eventId));
		expect(rows).toHaveLength(1);
	});

	it("a leader's hand check-in and check-out queued offline apply once, dated when pressed", async () => {
		const team = await makeTeam();
		const leader = await addMember(team, 'leader');
		const v = await addMember(team);
		const { id: eventId } = await makeEvent(team, { status: 'planned' });
		const group = await makeGroup(team, eventId, { leaderId: leader.id });
		await groups.addGroupMember(
			{ actor: as(team.captain), teamId: team.teamId, eventId },
			group.id,
			v.id
		);
		const now = at('2026-07-01T02:00:00Z');
		const handIn = { key: key(), waitedMs: minutes(20) };
		await attendance.checkInByHand(scopeFor(leader, team, eventId), v.id, 'day', now, handIn);
		const again = await attendance.checkInByHand(
			scopeFor(leader, team, eventId),
			v.id,
			'day',
			later(now, 1_000),
			handIn
		);
		expect(again.isNew).toBe(false);
		let [row] = await attendanceRows(eventId, v.id);
		expect(row.checkedInAt).toEqual(later(now, -minutes(20)));
		// Checked out by hand offline, sent twice: one check-out, dated when pressed.
		const handOut = { key: key(), waitedMs: minutes(5) };
		const out = later(now, minutes(60));
		await attendance.checkOut(scopeFor(leader, team, eventId), v.id, 'day', out, handOut);
		// Back in since (on line); the late repeat of the check-out changes nothing.
		await attendance.checkInByHand(scopeFor(leader, team, eventId), v.id, 'day', later(out, 1_000));
		await attendance.checkOut(
			scopeFor(leader, team, eventId),
			v.id,
			'day',
			later(out, 2_000),
			handOut
		);
		[row] = await attendanceRows(eventId, v.id);
		expect(row.checkedOutAt).toBeNull();
	});

	// PGlite runs transactions one after another and can never show the race: PostgreSQL only.
	it.runIf(isPostgres)('two sendings of one key at once make one incident', async () => {
		const team = await makeTeam();
		const v = await addMember(team);
		const { id: eventId } = await makeEvent(team, { status: 'planned' });
		const queued = { key: key(), waitedMs: minutes(1) };
		const report = { category: 'other', severity: 'low', description: '同时发送两次' };
		const results = await Promise.all(
			[0, 1].map(() =>
				incidents.reportIncident(
					{ actor: as(v), teamId: team.teamId, eventId },
					report,
					new Date(),
					queued
				)
			)
		);
		expect(results[0].id).toBe(results[1].id);
		const rows = await getDb()
			.select()
			.from(incidentsTable)
			.where(eq(incidentsTable.eventId, eventId));
		expect(rows).toHaveLength(1);
	});
});
