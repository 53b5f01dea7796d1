import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import * as donations from '../../src/lib/server/donations';
import { getDb, rowsOf } from '../../src/lib/server/db';
import { Conflict, Forbidden, Invalid, NotFound } from '../../src/lib/server/errors';
import { BROADCAST_CHANNEL, decodeBroadcast } from '../../src/lib/server/realtime/notify';
import { isPostgres, useTestDatabase } from './helpers';
import { addMember, makeTeam, type TeamFixture } from '../factories/teams';
import { makeEvent } from '../factories/events';
import { makeGroup } from '../factories/groups';
import { makeDonation } from '../factories/donations';

const t = useTestDatabase({ poolMax: 20 });
import { as, scopeFor } from './values';

/** A planned event with two groups: one led by a leader, one by the captain. */
async function setup() {
	const team = await makeTeam();
	const leader = await addMember(team, 'leader');
	const idleLeader = await addMember(team, 'leader');
	const volunteer = await addMember(team);
	const outsider = (await makeTeam()).captain;
	const { id: eventId } = await makeEvent(team, { status: 'planned' });
	const g1 = await makeGroup(team, eventId, { name: '一组', leaderId: leader.id });
	const g2 = await makeGroup(team, eventId, { name: '二组', leaderId: team.captain.id });
	return { team, leader, idleLeader, volunteer, outsider, eventId, g1, g2 };
}

async function row(id: string) {
	const [r] = rowsOf<{ pledged: number; received: number; distributed: number }>(
		await getDb().execute(
			sql`select pledged, received, distributed from donations where id = ${id}`
		)
	);
	return r;
}

const list = (team: TeamFixture, user: { id: string }, eventId: string) =>
	donations.listDonations(as(user), team.teamId, eventId);

describe('recording and pledging', () => {
	it('a captain or an event leader records; others may not; strangers learn nothing', async () => {
		const { team, leader, idleLeader, volunteer, outsider, eventId } = await setup();
		const d = await makeDonation(team, eventId, { quantity: 30, receivedNow: true });
		expect(await row(d.id)).toEqual({ pledged: 30, received: 30, distributed: 0 });
		const byLeader = await donations.recordDonation(scopeFor(leader, team, eventId), {
			category: 'stationery',
			description: '铅笔',
			unit: '支',
			quantity: '100',
			donorName: '',
			donorKind: 'company'
		});
		const page = await list(team, volunteer, eventId);
		const pencils = page.donations.find((x) => x.id === byLeader.id);
		expect(pencils).toMatchObject({ donorName: null, received: 0, holder: null });
		expect(page.donations.find((x) => x.id === d.id)?.holder?.userId).toBe(team.captain.id);
		const input = { category: 'books', description: 'x', unit: '本', quantity: 1 };
		// A leader who leads no group in this event is not staff here.
		await expect(
			donations.recordDonation(scopeFor(idleLeader, team, eventId), input)
		).rejects.toBeInstanceOf(Forbidden);
		await expect(
			donations.recordDonation(scopeFor(volunteer, team, eventId), input)
		).rejects.toBeInstanceOf(Forbidden);
		await expect(
			donations.recordDonation(scopeFor(outsider, team, eventId), input)
		).rejects.toBeInstanceOf(NotFound);
		await expect(list(team, outsider, eventId)).rejects.toBeInstanceOf(NotFound);
	});

	it('refuses bad input and a holder from outside the team', async () => {
		const { team, outsider, eventId } = await setup();
		await expect(makeDonation(team, eventId, { quantity: 0 })).rejects.toMatchObject({
			fields: { quantity: ['donations_error_quantity_invalid'] }
		});
		await expect(makeDonation(team, eventId, { quantity: 2.5 })).rejects.toBeInstanceOf(Invalid);
		await expect(
			makeDonation(team, eventId, { category: 'money' as 'books' })
		).rejects.toMatchObject({ fields: { category: ['donations_error_category_invalid'] } });
		await expect(makeDonation(team, eventId, { description: '  ' })).rejects.toBeInstanceOf(
			Invalid
		);
		await expect(makeDonation(team, eventId, { holderId: 'not-a-uuid' })).rejects.toBeInstanceOf(
			Invalid
		);
		await expect(makeDonation(team, eventId, { holderId: outsider.id })).rejects.toBeInstanceOf(
			NotFound
		);
	});

	it('a volunteer pledges: counted as pledged, held by them, until a leader receives it', async () => {
		const { team, leader, volunteer, outsider, eventId } = await setup();
		const pledge = await donations.pledgeDonation(scopeFor(volunteer, team, eventId), {
			category: 'exercise_books',
			description: '练习本',
			unit: '本',
			quantity: '10',
			donorName: '张伟',
			donorKind: 'classmate'
		});
		let page = await list(team, volunteer, eventId);
		expect(page.totals).toEqual([
			{ category: 'exercise_books', pledged: 10, received: 0, distributed: 0, count: 1 }
		]);
		const mine = page.donations[0];
		expect(mine.pledgedBy?.userId).toBe(volunteer.id);
		expect(mine.holder?.userId).toBe(volunteer.id);
		expect(mine.canWithdraw).toBe(true);
		await donations.receiveDonation(scopeFor(leader, team, eventId), pledge.id, '10');
		page = await list(team, volunteer, eventId);
		expect(page.totals[0]).toMatchObject({ pledged: 10, received: 10 });
		expect(page.donations[0].holder?.userId).toBe(leader.id);
		expect(page.donations[0].canWithdraw).toBe(false);
		await expect(
			donations.pledgeDonation(scopeFor(outsider, team, eventId), {
				category: 'books',
				description: 'x',
				unit: '本',
				quantity: 1
			})
		).rejects.toBeInstanceOf(NotFound);
	});

	it('no pledges for a finished event', async () => {
		const team = await makeTeam();
		const { id } = await makeEvent(team, { status: 'completed' });
		const v = await addMember(team);
		await expect(
			donations.pledgeDonation(scopeFor(v, team, id), {
				category: 'books',
				description: 'x',
				unit: '本',
				quantity: 1
			})
		).rejects.toBeInstanceOf(Conflict);
	});
});

describe('pledged → received → distributed', () => {
	it('receives in parts; beyond the pledge only when confirmed, and the pledge stays', async () => {
		const { team, leader, volunteer, outsider, eventId } = await setup();
		const d = await makeDonation(team, eventId, { quantity: 20 });
		await donations.receiveDonation(scopeFor(leader, team, eventId), d.id, 8);
		await donations.receiveDonation(scopeFor(team.captain, team, eventId), d.id, '7');
		expect(await row(d.id)).toEqual({ pledged: 20, received: 15, distributed: 0 });
		await expect(
			donations.receiveDonation(scopeFor(leader, team, eventId), d.id, 30)
		).rejects.toMatchObject({ code: 'donations_error_beyond_pledge' });
		expect(await row(d.id)).toEqual({ pledged: 20, received: 15, distributed: 0 });
		await donations.receiveDonation(scopeFor(leader, team, eventId), d.id, 30, 'on');
		expect(await row(d.id)).toEqual({ pledged: 20, received: 45, distributed: 0 });
		// Editing the description keeps the pledge; the groups may plan what actually arrived.
		await donations.updateDonation(scopeFor(leader, team, eventId), d.id, {
			category: 'books',
			description: '绘本（新）',
			unit: '本',
			quantity: 20
		});
		expect(await row(d.id)).toEqual({ pledged: 20, received: 45, distributed: 0 });
		await expect(
			donations.updateDonation(scopeFor(leader, team, eventId), d.id, {
				category: 'books',
				description: '绘本',
				unit: '本',
				quantity: 19
			})
		).rejects.toMatchObject({ code: 'donations_error_below_received' });
		await donations.distributeDonation(scopeFor(leader, team, eventId), d.id, 45, null);
		expect(await row(d.id)).toEqual({ pledged: 20, received: 45, distributed: 45 });
		await expect(
			donations.receiveDonation(scopeFor(volunteer, team, eventId), d.id, 1)
		).rejects.toBeInstanceOf(Forbidden);
		await expect(
			donations.receiveDonation(scopeFor(outsider, team, eventId), d.id, 1)
		).rejects.toBeInstanceOf(NotFound);
		await expect(
			donations.receiveDonation(scopeFor(leader, team, eventId), d.id, 0)
		).rejects.toBeInstanceOf(Invalid);
		await expect(
			donations.receiveDonation(scopeFor(leader, team, eventId), d.id, -3)
		).rejects.toBeInstanceOf(Invalid);
		await expect(
			donations.receiveDonation(scopeFor(leader, team, eventId), 'nope', 1)
		).rejects.toBeInstanceOf(Invalid);
		await expect(
			donations.receiveDonation(scopeFor(leader, team, eventId), crypto.randomUUID(), 1)
		).rejects.toBeInstanceOf(NotFound);
		// Beyond the 100,000 bound the row's check refuses it: the user's mistake, not a 500.
		await expect(
			donations.receiveDonation(scopeFor(leader, team, eventId), d.id, 99_990, 'on')
		).rejects.toMatchObject({ code: 'donations_error_quantity_invalid' });
		expect(await row(d.id)).toEqual({ pledged: 20, received: 45, distributed: 45 });
	});

	it('hands out in parts, never more than received; a leader only to their own group', async () => {
		const { team, leader, idleLeader, volunteer, outsider, eventId, g1, g2 } = await setup();
		const d = await makeDonation(team, eventId, { quantity: 20 });
		await expect(
			donations.distributeDonation(scopeFor(team.captain, team, eventId), d.id, 1, null)
		).rejects.toMatchObject({ code: 'donations_error_exceeds_received' });
		await donations.receiveDonation(scopeFor(leader, team, eventId), d.id, 12);
		await donations.distributeDonation(scopeFor(leader, team, eventId), d.id, 5, g1.id);
		await donations.distributeDonation(scopeFor(leader, team, eventId), d.id, '3', g1.id);
		await donations.distributeDonation(scopeFor(team.captain, team, eventId), d.id, 2, g2.id);
		await donations.distributeDonation(scopeFor(leader, team, eventId), d.id, 1, null);
		expect(await row(d.id)).toEqual({ pledged: 20, received: 12, distributed: 11 });
		await expect(
			donations.distributeDonation(scopeFor(team.captain, team, eventId), d.id, 2, g2.id)
		).rejects.toBeInstanceOf(Conflict);
		await expect(
			donations.distributeDonation(scopeFor(leader, team, eventId), d.id, 1, g2.id)
		).rejects.toBeInstanceOf(Forbidden);
		await expect(
			donations.distributeDonation(scopeFor(idleLeader, team, eventId), d.id, 1, null)
		).rejects.toBeInstanceOf(Forbidden);
		await expect(
			donations.distributeDonation(scopeFor(volunteer, team, eventId), d.id, 1, g1.id)
		).rejects.toBeInstanceOf(Forbidden);
		await expect(
			donations.distributeDonation(scopeFor(outsider, team, eventId), d.id, 1, g1.id)
		).rejects.toBeInstanceOf(NotFound);
		// A group of another event is not found here.
		const other = await makeEvent(team, { status: 'planned' });
		const foreign = await makeGroup(team, other.id);
		await expect(
			donations.distributeDonation(scopeFor(team.captain, team, eventId), d.id, 1, foreign.id)
		).rejects.toBeInstanceOf(NotFound);
		const page = await list(team, volunteer, eventId);
		expect(page.donations[0].allocations).toEqual([
			{ groupId: g1.id, groupName: '一组', allocated: 0, distributed: 8 },
			{ groupId: g2.id, groupName: '二组', allocated: 0, distributed: 2 }
		]);
		const byLeader = await list(team, leader, eventId);
		expect(byLeader.distributeGroups.map((g) => g.id)).toEqual([g1.id]);
		expect(byLeader.canDistributeUngrouped).toBe(true);
		const byVolunteer = await list(team, volunteer, eventId);
		expect(byVolunteer).toMatchObject({ isStaff: false, canDistributeUngrouped: false });
		expect(byVolunteer.distributeGroups).toEqual([]);
	});

	it('the database itself refuses negative quantities and handing out beyond received', async () => {
		const { team, eventId } = await setup();
		const d = await makeDonation(team, eventId, { quantity: 10, receivedNow: true });
		const db = getDb();
		for (const change of [
			sql`update donations set distributed = 11 where id = ${d.id}`,
			sql`update donations set distributed = -1 where id = ${d.id}`,
			sql`update donations set received = -1 where id = ${d.id}`,
			sql`update donations set received = 100001 where id = ${d.id}`,
			sql`update donations set received = 4, distributed = 5 where id = ${d.id}`,
			sql`update donations set pledged = 0, received = 0 where id = ${d.id}`
		]) {
			await expect(db.execute(change)).rejects.toMatchObject({ cause: { code: '23514' } });
		}
		expect(await row(d.id)).toEqual({ pledged: 10, received: 10, distributed: 0 });
	});

	it('plans allocations per group within the pledge', async () => {
		const { team, leader, volunteer, outsider, eventId, g1, g2 } = await setup();
		const d = await makeDonation(team, eventId, { quantity: 20 });
		await donations.allocateDonation(scopeFor(leader, team, eventId), d.id, g1.id, '12');
		await donations.allocateDonation(scopeFor(team.captain, team, eventId), d.id, g2.id, 8);
		await expect(
			donations.allocateDonation(scopeFor(team.captain, team, eventId), d.id, g2.id, 9)
		).rejects.toMatchObject({ code: 'donations_error_over_allocated' });
		// Changing a group's own figure does not count it twice.
		await donations.allocateDonation(scopeFor(leader, team, eventId), d.id, g1.id, 11);
		await expect(
			donations.allocateDonation(scopeFor(volunteer, team, eventId), d.id, g1.id, 1)
		).rejects.toBeInstanceOf(Forbidden);
		await expect(
			donations.allocateDonation(scopeFor(outsider, team, eventId), d.id, g1.id, 1)
		).rejects.toBeInstanceOf(NotFound);
		await expect(
			donations.allocateDonation(scopeFor(leader, team, eventId), d.id, g1.id, -1)
		).rejects.toBeInstanceOf(Invalid);
		const page = await list(team, volunteer, eventId);
		expect(page.donations[0].allocations.map((a) => [a.groupName, a.allocated])).toEqual([
			['一组', 11],
			['二组', 8]
		]);
	});
});

describe('holder, corrections and withdrawal', () => {
	it('staff choose who holds the items, from the team only', async () => {
		const { team, leader, volunteer, outsider, eventId } = await setup();
		const d = await makeDonation(team, eventId);
		await donations.setDonationHolder(scopeFor(leader, team, eventId), d.id, volunteer.id);
		expect((await list(team, leader, eventId)).donations[0].holder?.userId).toBe(volunteer.id);
		await donations.setDonationHolder(scopeFor(leader, team, eventId), d.id, '');
		expect((await list(team, leader, eventId)).donations[0].holder).toBeNull();
		await expect(
			donations.setDonationHolder(scopeFor(leader, team, eventId), d.id, outsider.id)
		).rejects.toBeInstanceOf(NotFound);
		await expect(
			donations.setDonationHolder(scopeFor(volunteer, team, eventId), d.id, volunteer.id)
		).rejects.toBeInstanceOf(Forbidden);
		await expect(
			donations.setDonationHolder(scopeFor(outsider, team, eventId), d.id, null)
		).rejects.toBeInstanceOf(NotFound);
	});

	it('staff correct a donation, never below what was received', async () => {
		const { team, leader, volunteer, outsider, eventId } = await setup();
		const d = await makeDonation(team, eventId, { quantity: 20 });
		await donations.receiveDonation(scopeFor(leader, team, eventId), d.id, 15);
		const input = {
			category: 'small_gifts',
			description: '钥匙扣',
			unit: '个',
			quantity: 16,
			donorName: '某公司',
			donorKind: 'company'
		};
		await donations.updateDonation(scopeFor(leader, team, eventId), d.id, input);
		expect((await list(team, leader, eventId)).donations[0]).toMatchObject({
			category: 'small_gifts',
			description: '钥匙扣',
			pledged: 16,
			received: 15
		});
		await expect(
			donations.updateDonation(scopeFor(leader, team, eventId), d.id, {
				...input,
				quantity: 14
			})
		).rejects.toMatchObject({ code: 'donations_error_below_received' });
		await expect(
			donations.updateDonation(scopeFor(volunteer, team, eventId), d.id, input)
		).rejects.toBeInstanceOf(Forbidden);
		await expect(
			donations.updateDonation(scopeFor(outsider, team, eventId), d.id, input)
		).rejects.toBeInstanceOf(NotFound);
	});

	it('a pledge is withdrawn by its volunteer or staff, only while nothing was received', async () => {
		const { team, leader, volunteer, outsider, eventId } = await setup();
		const other = await addMember(team);
		const pledge = (q: number) =>
			donations.pledgeDonation(scopeFor(volunteer, team, eventId), {
				category: 'books',
				description: '绘本',
				unit: '本',
				quantity: q
			});
		const a = await pledge(3);
		const b = await pledge(4);
		await expect(
			donations.deleteDonation(scopeFor(other, team, eventId), a.id)
		).rejects.toBeInstanceOf(Forbidden);
		await expect(
			donations.deleteDonation(scopeFor(outsider, team, eventId), a.id)
		).rejects.toBeInstanceOf(NotFound);
		await donations.deleteDonation(scopeFor(volunteer, team, eventId), a.id);
		await donations.receiveDonation(scopeFor(leader, team, eventId), b.id, 1);
		await expect(
			donations.deleteDonation(scopeFor(volunteer, team, eventId), b.id)
		).rejects.toMatchObject({ code: 'donations_error_already_received' });
		await expect(
			donations.deleteDonation(scopeFor(leader, team, eventId), b.id)
		).rejects.toBeInstanceOf(Conflict);
		const c = await makeDonation(team, eventId);
		await donations.deleteDonation(scopeFor(leader, team, eventId), c.id);
		expect((await list(team, volunteer, eventId)).donations.map((d) => d.id)).toEqual([b.id]);
	});

	it('totals per category, in a fixed order, and a hint on every change', async () => {
		const { team, leader, volunteer, eventId, g1 } = await setup();
		const messages: unknown[] = [];
		const unlisten = await t.handle.listen(BROADCAST_CHANNEL, (text) => {
			const message = decodeBroadcast(text);
			if (message?.topic === `event:${eventId}`) messages.push(message.payload);
		});
		const a = await makeDonation(team, eventId, { category: 'stationery', quantity: 5 });
		await makeDonation(team, eventId, { category: 'books', quantity: 7, receivedNow: true });
		await makeDonation(team, eventId, { category: 'books', quantity: 3 });
		await donations.receiveDonation(scopeFor(leader, team, eventId), a.id, 5);
		await donations.distributeDonation(scopeFor(leader, team, eventId), a.id, 4, g1.id);
		const page = await list(team, volunteer, eventId);
		expect(page.totals).toEqual([
			{ category: 'books', pledged: 10, received: 7, distributed: 0, count: 2 },
			{ category: 'stationery', pledged: 5, received: 5, distributed: 4, count: 1 }
		]);
		await new Promise((resolve) => setTimeout(resolve, 200));
		expect(messages.length).toBeGreaterThanOrEqual(1);
		for (const payload of messages) {
			expect((payload as { kinds: string[] }).kinds).toEqual(['donations']);
		}
		await unlisten();
	});
});

describe.runIf(isPostgres)('concurrency on PostgreSQL', () => {
	it('concurrent hand-outs never pass what was received', async () => {
		const { team, leader, eventId, g1, g2 } = await setup();
		for (let round = 0; round < 3; round++) {
			const d = await makeDonation(team, eventId, { quantity: 20, receivedNow: true });
			// 14 hand-outs of 3 at the same instant, by two people, into two groups: 6 fit.
			const results = await Promise.allSettled(
				Array.from({ length: 14 }, (_, i) =>
					donations.distributeDonation(
						{ actor: i % 2 ? as(leader) : as(team.captain), teamId: team.teamId, eventId },
						d.id,
						3,
						i % 2 ? g1.id : g2.id
					)
				)
			);
			expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(6);
			for (const r of results) {
				if (r.status === 'rejected') expect(r.reason.code).toBe('donations_error_exceeds_received');
			}
			expect(await row(d.id)).toEqual({ pledged: 20, received: 20, distributed: 18 });
			const [sum] = rowsOf<{ n: number }>(
				await getDb().execute(
					sql`select sum(distributed)::int as n from donation_allocations where donation_id = ${d.id}`
				)
			);
			expect(sum.n).toBe(18);
		}
	});

	it('the check constraint alone holds when writers skip the condition', async () => {
		const { team, eventId } = await setup();
		const d = await makeDonation(team, eventId, { quantity: 10, receivedNow: true });
		// A careless writer with no `where distributed + n <= received`: each statement waits for
		// the row lock, then the constraint sees the committed value and refuses the excess.
		const results = await Promise.allSettled(
			Array.from({ length: 12 }, () =>
				getDb().execute(sql`update donations set distributed = distributed + 2 where id = ${d.id}`)
			)
		);
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
		for (const r of results) {
			if (r.status === 'rejected') expect(r.reason).toMatchObject({ cause: { code: '23514' } });
		}
		expect(await row(d.id)).toEqual({ pledged: 10, received: 10, distributed: 10 });
	});

	it('receipts and hand-outs racing each other keep distributed ≤ received', async () => {
		const { team, leader, eventId, g1 } = await setup();
		const d = await makeDonation(team, eventId, { quantity: 30 });
		const jobs = Array.from({ length: 20 }, (_, i) =>
			i % 2
				? donations.receiveDonation(scopeFor(team.captain, team, eventId), d.id, 1)
				: donations.distributeDonation(scopeFor(leader, team, eventId), d.id, 1, g1.id)
		);
		const results = await Promise.allSettled(jobs);
		const handed = results.filter((r, i) => i % 2 === 0 && r.status === 'fulfilled').length;
		const after = await row(d.id);
		expect(after.received).toBe(10);
		expect(after.distributed).toBe(handed);
		expect(after.distributed).toBeLessThanOrEqual(after.received);
	});
});
