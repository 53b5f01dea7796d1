// The claim and the withdrawal run as one statement each (tongxing_claim, tongxing_withdraw in
// supabase/migrations/20261202100600_claim_functions.sql). What they must keep from the
// TypeScript path they replaced: the hint's bytes as publish() sends them, each refusal as the
// same domain error with the same code, and the late-withdrawal rule of the event's zone.
import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { getDb, rowsOf } from '../../src/lib/server/db';
import { hint } from '../../src/lib/server/realtime/publish';
import { BROADCAST_CHANNEL } from '../../src/lib/server/realtime/notify';
import { type Hint } from '../../src/lib/server/realtime/hints';
import { Conflict, Invalid, NotFound } from '../../src/lib/server/errors';
import * as tasks from '../../src/lib/server/tasks';
import { domainErrorOf } from '../../src/lib/server/tasks/sql-errors';
import { useTestDatabase } from './helpers';
import { addMember, makeTeam } from '../factories/teams';
import { inDays, makeEvent } from '../factories/events';
import { key, makeTask } from '../factories/tasks';
import { zonedTime } from '../../src/lib/time';

const t = useTestDatabase();
const settle = () => new Promise((resolve) => setTimeout(resolve, 150));

async function captureRaw() {
	const raw: string[] = [];
	const unlisten = await t.handle.listen(BROADCAST_CHANNEL, (text) => raw.push(text));
	return { raw, unlisten };
}

/** What publish() sends for the same hint at the same version, on a topic of its own. */
async function publishedByTypeScript(message: string): Promise<string> {
	const { topic, payload } = JSON.parse(message) as { topic: string; payload: Hint };
	const stand = `event:${randomUUID()}` as const;
	const version = payload.version as number;
	await getDb().execute(
		sql`insert into realtime_topic_versions (topic, version) values (${stand}, ${version - 1})`
	);
	const { raw, unlisten } = await captureRaw();
	await getDb().transaction((tx) => hint(tx, stand, payload.kinds, payload.ids, payload.counts));
	await settle();
	await unlisten();
	expect(raw).toHaveLength(1);
	return raw[0].replace(stand, topic);
}

const codeOf = (p: Promise<unknown>) =>
	p.then(
		() => 'no error',
		(err: { name: string; code: string }) => `${err.name}:${err.code}`
	);

describe('the claim and withdrawal functions', () => {
	it('send hints byte for byte as publish() does: claim, wait, withdraw with a promotion', async () => {
		const team = await makeTeam();
		const { id: eventId } = await makeEvent(team, { status: 'planned' });
		const [a, b] = [await addMember(team), await addMember(team)];
		const task = await makeTask(team, eventId, { capacity: 1 });
		await settle();
		const { raw, unlisten } = await captureRaw();
		const first = await tasks.claimTask(
			{ actor: { userId: a.id }, teamId: team.teamId, eventId },
			task.id,
			key()
		);
		const second = await tasks.claimTask(
			{ actor: { userId: b.id }, teamId: team.teamId, eventId },
			task.id,
			key()
		);
		const left = await tasks.withdrawFromTask(
			{ actor: { userId: a.id }, teamId: team.teamId, eventId },
			task.id
		);
		await settle();
		await unlisten();
		const mine = raw.filter((m) => m.includes(eventId));
		expect(mine).toHaveLength(3);
		expect([first.status, second.status, second.position]).toEqual(['claimed', 'waiting', 1]);
		expect(left.promoted).toEqual([b.id]);
		expect(left.counts).toEqual({ taken: 1, capacity: 1, waiting: 0, full: 1 });
		expect(JSON.parse(mine[2]).payload.ids).toEqual([task.id, b.id]);
		expect([first.version, second.version, left.version]).toEqual(
			mine.map((m) => JSON.parse(m).payload.version)
		);
		for (const message of mine) expect(message).toBe(await publishedByTypeScript(message));
	});

	it('refuse with the domain errors and codes of before, in the same order', async () => {
		const team = await makeTeam();
		const other = await makeTeam();
		const v = await addMember(team);
		const outsider = await addMember(other);
		const { id: eventId } = await makeEvent(team, { status: 'planned' });
		const { id: draftId } = await makeEvent(team);
		const { id: closedId } = await makeEvent(team, { status: 'cancelled' });
		const { id: elsewhereId } = await makeEvent(team, { status: 'planned' });
		const task = await makeTask(team, eventId);
		const later = await makeTask(team, eventId, { signupOpensAt: `${inDays(3)}T20:00` });
		const foreign = await makeTask(team, elsewhereId);
		const as = (p: { id: string }) => ({ userId: p.id });
		const claim = (p: { id: string }, event: string, taskId: string, k: string = key()) =>
			codeOf(tasks.claimTask({ actor: as(p), teamId: team.teamId, eventId: event }, taskId, k));
		const withdraw = (p: { id: string }, event: string, taskId: string) =>
			codeOf(tasks.withdrawFromTask({ actor: as(p), teamId: team.teamId, eventId: event }, taskId));

		expect(await claim(outsider, eventId, task.id)).toBe('NotFound:teams_error_not_found');
		expect(await claim(v, draftId, task.id)).toBe('NotFound:events_error_not_found');
		expect(await claim(v, randomUUID(), task.id)).toBe('NotFound:events_error_not_found');
		expect(await claim(v, closedId, task.id)).toBe('Conflict:events_error_closed');
		expect(await claim(v, eventId, foreign.id)).toBe('NotFound:tasks_error_not_found');
		expect(await claim(v, eventId, 'not-a-task')).toBe('Invalid:invalid');
		expect(await claim(v, eventId, task.id, 'not-a-key')).toMatch(/^Invalid:/);
		const k = key();
		expect(await claim(v, eventId, task.id, k)).toBe('no error');
		expect(await claim(v, eventId, foreign.id, k)).toBe('NotFound:tasks_error_not_found');
		const elsewhere = await makeTask(team, eventId);
		expect(await claim(v, eventId, elsewhere.id, k)).toBe('Invalid:tasks_error_key_reused');
		expect(await claim(v, eventId, later.id)).toBe('Conflict:tasks_error_not_open_yet');

		expect(await withdraw(outsider, eventId, task.id)).toBe('NotFound:teams_error_not_found');
		expect(await withdraw(outsider, eventId, 'not-a-task')).toBe('NotFound:teams_error_not_found');
		expect(await withdraw(v, eventId, 'not-a-task')).toBe('Invalid:invalid');
		expect(await withdraw(v, closedId, task.id)).toBe('Conflict:events_error_closed');
		expect(await withdraw(v, eventId, foreign.id)).toBe('NotFound:tasks_error_not_found');
		expect(await withdraw(v, eventId, elsewhere.id)).toBe('NotFound:tasks_error_not_signed_up');
		expect(await withdraw(v, eventId, task.id)).toBe('no error');
	});

	it('map only their own states; anything else stays the error it was', () => {
		const raised = (code: string, message: string) =>
			Object.assign(new Error('Failed query'), {
				cause: Object.assign(new Error(message), { code })
			});
		expect(domainErrorOf(raised('TX404', 'tasks_error_not_found'))).toEqual(
			new NotFound('tasks_error_not_found')
		);
		expect(domainErrorOf(raised('TX409', 'events_error_closed'))).toBeInstanceOf(Conflict);
		expect(domainErrorOf(raised('TX400', 'tasks_error_key_reused'))).toBeInstanceOf(Invalid);
		const bug = raised('P0001', 'the locked task changed');
		expect(domainErrorOf(bug)).toBe(bug);
	});

	it('judge a late withdrawal in the event’s own zone, 24 hours before its start', async () => {
		const team = await makeTeam();
		const captain2 = await addMember(team, 'captain');
		const v = await addMember(team);
		const date = inDays(10);
		const { id: eventId } = await makeEvent(team, {
			status: 'planned',
			date,
			startTime: '08:30',
			timeZone: 'Europe/Berlin'
		} as never);
		const task = await makeTask(team, eventId, { date });
		const start = zonedTime(date, '08:30', 'Europe/Berlin').getTime();
		const as = { userId: v.id };
		await tasks.claimTask({ actor: as, teamId: team.teamId, eventId }, task.id, key());
		const early = await tasks.withdrawFromTask(
			{ actor: as, teamId: team.teamId, eventId },
			task.id,
			new Date(start - 24 * 3600_000 - 1)
		);
		expect(early.wasLate).toBe(false);
		await tasks.claimTask({ actor: as, teamId: team.teamId, eventId }, task.id, key());
		const late = await tasks.withdrawFromTask(
			{ actor: as, teamId: team.teamId, eventId },
			task.id,
			new Date(start - 24 * 3600_000)
		);
		expect(late.wasLate).toBe(true);
		const notices = await getDb().execute(
			sql`select user_id, subject_id from task_notices where task_id = ${task.id} and kind = 'late_withdrawal' order by user_id`
		);
		const rows = rowsOf<{
			user_id: string;
			subject_id: string;
		}>(notices);
		expect(rows.map((r) => [r.user_id, r.subject_id]).sort()).toEqual(
			[team.captain.id, captain2.id].sort().map((id) => [id, v.id])
		);
	});
});
