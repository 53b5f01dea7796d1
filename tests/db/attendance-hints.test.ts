// The attendance board's hints (issue 18): every check-in and check-out publishes the board's
// new numbers (per group present of expected, and the headline under the event's id) for the
// session it changed, with the person's id and the topic's next version; never a name. The
// numbers are the board's own: each hint's counts equal what getBoard shows right after it.
import { describe, expect, it } from 'vitest';
import * as attendance from '../../src/lib/server/attendance';
import * as groups from '../../src/lib/server/groups';
import { getDb } from '../../src/lib/server/db';
import { topicVersion } from '../../src/lib/server/realtime/publish';
import { BROADCAST_CHANNEL, decodeBroadcast } from '../../src/lib/server/realtime/notify';
import { HINT_FIELDS, isHint, type Hint } from '../../src/lib/server/realtime/hints';
import { isPostgres, useTestDatabase } from './helpers';
import { addMember, makeTeam } from '../factories/teams';
import { makeEvent } from '../factories/events';
import { as, scopeFor } from './values';
import { makeGroup } from '../factories/groups';
import { shownCode } from '../factories/attendance';

const t = useTestDatabase();
const settle = () => new Promise((resolve) => setTimeout(resolve, 150));

async function capture(topic: string) {
	const hints: Hint[] = [];
	const raw: string[] = [];
	const unlisten = await t.handle.listen(BROADCAST_CHANNEL, (text) => {
		const message = decodeBroadcast(text);
		if (message?.topic !== topic) return;
		raw.push(text);
		hints.push(message.payload as unknown as Hint);
	});
	return { hints, raw, unlisten };
}

/** What a hint would carry, read from the board itself (the page's own numbers). */
async function boardNumbers(
	captain: { id: string },
	teamId: string,
	eventId: string,
	session: 'day' | 'meeting'
) {
	const board = await attendance.getBoard(as(captain), teamId, eventId, session);
	return attendance.toHintCounts(eventId, session, board.groups, board.totals);
}

async function world() {
	const team = await makeTeam('秘密服务队名称');
	const leader = await addMember(team, 'leader');
	const [v1, v2, v3, loner] = [
		await addMember(team),
		await addMember(team),
		await addMember(team),
		await addMember(team)
	];
	const { id: eventId } = await makeEvent(team, { status: 'planned' });
	const a = await makeGroup(team, eventId, { name: '秘密小组名', leaderId: leader.id });
	const b = await makeGroup(team, eventId);
	const captain = as(team.captain);
	for (const [group, person] of [
		[a, v1],
		[a, v2],
		[b, v3]
	] as const) {
		await groups.addGroupMember(
			{ actor: captain, teamId: team.teamId, eventId },
			group.id,
			person.id
		);
	}
	return { team, leader, v1, v2, v3, loner, eventId, a, b };
}

describe('attendance hints', () => {
	it('carry the board’s new numbers and the next version, the person’s id, no names', async () => {
		const { team, leader, v1, v2, v3, loner, eventId, a, b } = await world();
		const topic = `event:${eventId}`;
		await settle();
		const { hints, raw, unlisten } = await capture(topic);
		const v0 = await topicVersion(getDb(), `event:${eventId}`);
		const now = new Date();
		const expected: { person: string; counts: Record<string, unknown> }[] = [];
		const step = async (
			person: string,
			session: 'day' | 'meeting',
			act: () => Promise<unknown>
		) => {
			await act();
			expected.push({
				person,
				counts: await boardNumbers(team.captain, team.teamId, eventId, session)
			});
		};

		const code = await shownCode(team, eventId, now);
		await step(v1.id, 'day', () => attendance.checkInWithCode(as(v1), eventId, { code }, { now }));
		await step(v3.id, 'day', () =>
			attendance.checkInByHand(scopeFor(team.captain, team, eventId), v3.id, 'day', now)
		);
		await step(leader.id, 'day', () =>
			attendance.checkInByHand(scopeFor(leader, team, eventId), leader.id, 'day', now)
		);
		// Someone in no group: here, but said apart.
		await step(loner.id, 'day', () =>
			attendance.checkInByHand(scopeFor(team.captain, team, eventId), loner.id, 'day', now)
		);
		await step(v1.id, 'day', () => attendance.checkOut(scopeFor(v1, team, eventId)));
		await step(v2.id, 'meeting', () =>
			attendance.checkInByHand(scopeFor(leader, team, eventId), v2.id, 'meeting', now)
		);
		// Nothing changes (already checked in; already checked out): nothing is published.
		await attendance.checkInByHand(scopeFor(team.captain, team, eventId), v3.id, 'day', now);
		await attendance.checkOut(scopeFor(v1, team, eventId));
		await settle();
		await unlisten();

		expect(hints).toHaveLength(expected.length);
		hints.forEach((hint, i) => {
			expect(isHint(hint), JSON.stringify(hint)).toBe(true);
			for (const field of Object.keys(hint)) expect(HINT_FIELDS).toContain(field);
			expect(hint.kinds).toEqual(['attendance']);
			expect(hint.version).toBe(v0 + i + 1);
			expect(hint.ids).toEqual([expected[i].person]);
			expect(hint.counts).toEqual(expected[i].counts);
		});
		// The numbers themselves, spelled out once.
		expect(hints[3].counts).toEqual({
			[eventId]: { meeting: 0, expected: 4, arrived: 3, late: 0, left: 0, outside: 1 },
			[a.id]: { meeting: 0, present: 2, expected: 3 },
			[b.id]: { meeting: 0, present: 1, expected: 1 }
		});
		expect(hints[4].counts?.[eventId]).toEqual({
			meeting: 0,
			expected: 4,
			arrived: 2,
			late: 0,
			left: 1,
			outside: 1
		});
		expect(hints[5].counts?.[a.id]).toEqual({ meeting: 1, present: 1, expected: 3 });
		const text = raw.join('\n');
		for (const secret of ['秘密服务队名称', '秘密小组名', 'User ', '@', v1.email]) {
			expect(text).not.toContain(secret);
		}
	});

	it('the narrow read gives only the people asked for, in each place they show, checked as the board', async () => {
		const { team, leader, v1, v3, loner, eventId, a, b } = await world();
		const now = new Date();
		await attendance.checkInByHand(scopeFor(team.captain, team, eventId), loner.id, 'day', now);
		await attendance.checkInByHand(scopeFor(leader, team, eventId), v1.id, 'day', now);
		const read = await attendance.getBoardPeople(as(leader), team.teamId, eventId, 'day', [
			v1.id,
			v3.id,
			loner.id
		]);
		expect('people' in read).toBe(true);
		if (!('people' in read)) return;
		expect(read.version).toBe(await topicVersion(getDb(), `event:${eventId}`));
		const rows = read.people.map((p) => [p.place, p.person.userId, p.person.canMark]);
		// The leader of a may mark v1 (their member), not v3 (group b) nor the loner.
		expect(rows).toEqual([
			[{ group: a.id }, v1.id, true],
			[{ group: b.id }, v3.id, false],
			['others', loner.id, false]
		]);
		expect(read.people[0].person.checkedInAt).toBeInstanceOf(Date);
		// A member of another team is refused, as on the board; bad ids are a clear refusal.
		const outsider = await makeTeam();
		await expect(
			attendance.getBoardPeople(as(outsider.captain), team.teamId, eventId, 'day', [v1.id])
		).rejects.toMatchObject({ status: 404 });
		await expect(
			attendance.getBoardPeople(as(leader), team.teamId, eventId, 'day', ['nope'])
		).rejects.toMatchObject({ status: 400 });
		await expect(
			attendance.getBoardPeople(as(leader), team.teamId, eventId, 'day', [])
		).rejects.toMatchObject({ status: 400, code: 'attendance_error_people_ids' });
		// Without ids: the board alone, as the page's own load shows it.
		const whole = await attendance.getBoardPeople(as(leader), team.teamId, eventId, 'day');
		const page = await attendance.getBoard(as(leader), team.teamId, eventId, 'day');
		expect(whole).toMatchObject({ totals: page.totals, version: page.version });
		expect(whole).not.toHaveProperty('event');
	});

	it.runIf(isPostgres)(
		'concurrent check-ins: each hint’s numbers are those at its version (commit order)',
		async () => {
			const team = await makeTeam();
			const people = await Promise.all(Array.from({ length: 12 }, () => addMember(team)));
			const { id: eventId } = await makeEvent(team, { status: 'planned' });
			const g = await makeGroup(team, eventId);
			for (const p of people) {
				await groups.addGroupMember(
					{ actor: as(team.captain), teamId: team.teamId, eventId },
					g.id,
					p.id
				);
			}
			await settle();
			const { hints, unlisten } = await capture(`event:${eventId}`);
			const now = new Date();
			await Promise.all(
				people.map((p) =>
					attendance.checkInByHand(scopeFor(team.captain, team, eventId), p.id, 'day', now)
				)
			);
			await settle();
			await unlisten();
			const byVersion = [...hints].sort((x, y) => Number(x.version) - Number(y.version));
			expect(byVersion.map((h) => (h.counts?.[g.id] as { present: number }).present)).toEqual(
				people.map((_, i) => i + 1)
			);
		}
	);
});
