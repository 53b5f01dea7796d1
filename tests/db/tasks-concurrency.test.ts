// The heart of the sign-up: on real PostgreSQL, through the domain commands, many people
// pressing at the same instant never overbook a task, and the waitlist stays 1..n.
import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import * as tasks from '../../src/lib/server/tasks';
import { getDb, rowsOf } from '../../src/lib/server/db';
import { isPostgres, useTestDatabase } from './helpers';
import { addMember, makeTeam, type TeamFixture } from '../factories/teams';
import { makeEvent } from '../factories/events';
import { key, makeTask } from '../factories/tasks';

useTestDatabase({ poolMax: 20 });
const as = (user: { id: string }) => ({ userId: user.id });

type Signup = { user_id: string; status: string; position: number | null };

/** Everything that must hold for a task, whatever the timing. Empty when all is well. */
async function violations(taskId: string): Promise<string[]> {
	const db = getDb();
	const [task] = rowsOf<{ taken: number; capacity: number; waiting: number }>(
		await db.execute(sql`select taken, capacity, waiting from tasks where id = ${taskId}`)
	);
	const rows = rowsOf<Signup>(
		await db.execute(
			sql`select user_id, status, position from task_signups
			    where task_id = ${taskId} and status in ('claimed', 'waiting')`
		)
	);
	const claimed = rows.filter((r) => r.status === 'claimed');
	const waiting = rows.filter((r) => r.status === 'waiting');
	const found: string[] = [];
	if (claimed.length > task.capacity) {
		found.push(`overbooked: ${claimed.length} claims for ${task.capacity} slots`);
	}
	if (claimed.length !== task.taken) found.push(`taken ${task.taken} ≠ ${claimed.length} claims`);
	if (waiting.length !== task.waiting) found.push(`waiting ${task.waiting} ≠ ${waiting.length}`);
	const positions = waiting.map((r) => r.position).sort((a, b) => (a ?? 0) - (b ?? 0));
	if (positions.some((p, i) => p !== i + 1)) found.push(`positions not 1..n: ${positions}`);
	if (new Set(rows.map((r) => r.user_id)).size !== rows.length) found.push('someone twice');
	if (waiting.length > 0 && claimed.length < task.capacity) {
		found.push(`a free slot while ${waiting.length} wait`);
	}
	return found;
}

async function signupsOf(taskId: string): Promise<Signup[]> {
	return rowsOf<Signup>(
		await getDb().execute(
			sql`select user_id, status, position from task_signups
			    where task_id = ${taskId} and status in ('claimed', 'waiting') order by position`
		)
	);
}

async function makeCrowd(team: TeamFixture, n: number) {
	const people: { id: string }[] = [];
	for (let i = 0; i < n; i += 20) {
		people.push(
			...(await Promise.all(Array.from({ length: Math.min(20, n - i) }, () => addMember(team))))
		);
	}
	return people;
}

/**
 * The way overbooking happens elsewhere: count the claims, then insert. The short sleep stands
 * for the time a real app spends between its read and its write (a round trip, some logic).
 */
async function readThenInsert(eventId: string, taskId: string, userId: string): Promise<void> {
	await getDb().transaction(async (tx) => {
		const [{ n, capacity }] = rowsOf<{ n: number; capacity: number }>(
			await tx.execute(
				sql`select (select count(*)::int from task_signups
				            where task_id = ${taskId} and status = 'claimed') as n,
				           capacity from tasks where id = ${taskId}`
			)
		);
		await tx.execute(sql`select pg_sleep(0.005)`);
		if (n < capacity) {
			await tx.execute(
				sql`insert into task_signups (event_id, task_id, user_id, status, claimed_at)
				    values (${eventId}, ${taskId}, ${userId}, 'claimed', now())`
			);
			await tx.execute(sql`update tasks set taken = ${n + 1} where id = ${taskId}`);
		} else {
			await tx.execute(
				sql`insert into task_signups (event_id, task_id, user_id, status, position)
				    values (${eventId}, ${taskId}, ${userId}, 'waiting',
				      (select coalesce(max(position), 0) + 1 from task_signups where task_id = ${taskId}))`
			);
		}
	});
}

describe.runIf(isPostgres)('sign-ups under concurrency on PostgreSQL', () => {
	it('200 concurrent claims against capacity 10: exactly 10 claims and waitlist 1–190, 20 times', async () => {
		const team = await makeTeam();
		const { id: eventId } = await makeEvent(team, { status: 'planned' });
		const crowd = await makeCrowd(team, 200);
		for (let round = 0; round < 20; round++) {
			const task = await makeTask(team, eventId, { capacity: 10 });
			const results = await Promise.allSettled(
				crowd.map((p) =>
					tasks.claimTask({ actor: as(p), teamId: team.teamId, eventId }, task.id, key())
				)
			);
			const failed = results.filter((r) => r.status === 'rejected');
			expect(failed).toEqual([]);
			const outcomes = results.map((r) => (r as PromiseFulfilledResult<tasks.ClaimResult>).value);
			expect(outcomes.filter((o) => o.status === 'claimed')).toHaveLength(10);
			expect(
				outcomes
					.filter((o) => o.status === 'waiting')
					.map((o) => o.position)
					.sort((a, b) => (a ?? 0) - (b ?? 0))
			).toEqual(Array.from({ length: 190 }, (_, i) => i + 1));
			expect(await violations(task.id)).toEqual([]);
			const rows = await signupsOf(task.id);
			expect(rows.filter((r) => r.status === 'claimed')).toHaveLength(10);
			expect(rows.filter((r) => r.status === 'waiting').map((r) => r.position)).toEqual(
				Array.from({ length: 190 }, (_, i) => i + 1)
			);
		}
	}, 240_000);

	it('the read-then-insert way fails the same check: it overbooks', async () => {
		const team = await makeTeam();
		const { id: eventId } = await makeEvent(team, { status: 'planned' });
		const crowd = await makeCrowd(team, 200);
		const task = await makeTask(team, eventId, { capacity: 10 });
		const results = await Promise.allSettled(
			crowd.map((p) => readThenInsert(eventId, task.id, p.id))
		);
		const found = await violations(task.id);
		// Proof that the check above can fail: more claims than slots, and (racing on the
		// waitlist) errors for some of the people who pressed.
		expect(found.some((v) => v.startsWith('overbooked'))).toBe(true);
		const claims = (await signupsOf(task.id)).filter((r) => r.status === 'claimed');
		expect(claims.length).toBeGreaterThan(10);
		expect(results.length).toBe(200);
	}, 60_000);

	it('5 concurrent requests with one idempotency key make one claim and get one response', async () => {
		const team = await makeTeam();
		const { id: eventId } = await makeEvent(team, { status: 'planned' });
		const v = await addMember(team);
		for (let round = 0; round < 5; round++) {
			const task = await makeTask(team, eventId, { capacity: 10 });
			const k = key();
			const results = await Promise.allSettled(
				Array.from({ length: 5 }, () =>
					tasks.claimTask({ actor: as(v), teamId: team.teamId, eventId }, task.id, k)
				)
			);
			expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
			const values = results.map((r) => (r as PromiseFulfilledResult<tasks.ClaimResult>).value);
			for (const value of values) expect(value).toEqual(values[0]);
			expect(values[0].status).toBe('claimed');
			const rows = rowsOf<{ n: number; taken: number }>(
				await getDb().execute(
					sql`select (select count(*)::int from task_signups where task_id = ${task.id}) as n,
					           taken from tasks where id = ${task.id}`
				)
			);
			expect(rows[0]).toEqual({ n: 1, taken: 1 });
		}
	});

	it('a capacity cut racing claims and withdrawals keeps every invariant', async () => {
		const team = await makeTeam();
		const { id: eventId } = await makeEvent(team, { status: 'planned' });
		for (let round = 0; round < 5; round++) {
			const task = await makeTask(team, eventId, { capacity: 10 });
			const holders = await makeCrowd(team, 10);
			const waiters = await makeCrowd(team, 5);
			const latecomers = await makeCrowd(team, 20);
			for (const p of [...holders, ...waiters]) {
				await tasks.claimTask({ actor: as(p), teamId: team.teamId, eventId }, task.id, key());
			}
			const moving = holders.slice(0, 4).map((p) => p.id);
			const leaving = holders.slice(4, 8);
			const results = await Promise.allSettled([
				tasks.setCapacity(
					{ actor: as(team.captain), teamId: team.teamId, eventId },
					task.id,
					6,
					moving
				),
				...leaving.map((p) =>
					tasks.withdrawFromTask({ actor: as(p), teamId: team.teamId, eventId }, task.id)
				),
				...latecomers.map((p) =>
					tasks.claimTask({ actor: as(p), teamId: team.teamId, eventId }, task.id, key())
				)
			]);
			expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
			expect(await violations(task.id)).toEqual([]);
			// One promotion per freed slot: four left while people were waiting.
			const promoted = results
				.slice(1, 1 + leaving.length)
				.flatMap((r) => (r as PromiseFulfilledResult<{ promoted: string[] }>).value.promoted);
			expect(promoted).toHaveLength(4);
			const rows = await signupsOf(task.id);
			expect(rows.filter((r) => r.status === 'claimed')).toHaveLength(6);
			// 10 + 5 + 20 pressed, 4 left: 31 remain, 6 in slots.
			expect(rows.filter((r) => r.status === 'waiting')).toHaveLength(25);
		}
	}, 120_000);

	it('concurrent withdrawals from slots and from the line keep the line 1..n', async () => {
		const team = await makeTeam();
		const { id: eventId } = await makeEvent(team, { status: 'planned' });
		const task = await makeTask(team, eventId, { capacity: 10 });
		const crowd = await makeCrowd(team, 40);
		for (const p of crowd)
			await tasks.claimTask({ actor: as(p), teamId: team.teamId, eventId }, task.id, key());
		const leaving = [...crowd.slice(0, 10), ...crowd.slice(15, 25)];
		const results = await Promise.allSettled(
			leaving.map((p) =>
				tasks.withdrawFromTask({ actor: as(p), teamId: team.teamId, eventId }, task.id)
			)
		);
		expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
		const promoted = results.flatMap(
			(r) => (r as PromiseFulfilledResult<{ promoted: string[] }>).value.promoted
		);
		// Some of those leaving the line were promoted before their turn came: each freed slot
		// promoted one person, and nobody twice.
		expect(promoted.length).toBeGreaterThanOrEqual(10);
		expect(new Set(promoted).size).toBe(promoted.length);
		expect(await violations(task.id)).toEqual([]);
		const rows = await signupsOf(task.id);
		expect(rows.filter((r) => r.status === 'claimed')).toHaveLength(10);
		expect(rows.filter((r) => r.status === 'waiting').map((r) => r.position)).toEqual(
			Array.from({ length: 10 }, (_, i) => i + 1)
		);
	}, 60_000);
});
