import { describe, expect, it } from 'vitest';
import { eq, inArray, isNull } from 'drizzle-orm';
import * as accounts from '../../src/lib/server/accounts';
import * as teams from '../../src/lib/server/teams';
import * as tasks from '../../src/lib/server/tasks';
import * as attendance from '../../src/lib/server/attendance';
import * as incidents from '../../src/lib/server/incidents';
import * as donations from '../../src/lib/server/donations';
import * as events from '../../src/lib/server/events';
import * as groups from '../../src/lib/server/groups';
import { canReadTopic } from '../../src/lib/server/realtime';
import { getDb } from '../../src/lib/server/db';
import {
	eventGroups,
	groupMembers,
	sessions,
	taskSignups,
	users
} from '../../src/lib/server/db/schema';
import { createSession, validateSessionToken } from '../../src/lib/server/auth/session';
import { Conflict, Invalid, NotFound } from '../../src/lib/server/errors';
import { BROADCAST_CHANNEL, MEMBERSHIP_CHANNEL } from '../../src/lib/server/realtime/notify';
import { isPostgres, useTestDatabase } from './helpers';
import { as, at, scopeFor } from './values';
import { addMember, makeTeam } from '../factories/teams';
import { makeEvent } from '../factories/events';
import { makeGroup } from '../factories/groups';
import { key, makeTask } from '../factories/tasks';
import { DEFAULT_PASSWORD, makeUser } from '../factories/users';

const t = useTestDatabase();

/** A finished day the volunteer worked (claim, group, 3 hours) and a coming one they claimed. */
async function volunteerWithHistory() {
	const team = await makeTeam();
	const v = await addMember(team);
	const other = await addMember(team);
	const captain = as(team.captain);
	const past = await makeEvent(team, { status: 'confirmed', date: '2026-07-01' });
	const inPast = scopeFor(team.captain, team, past.id);
	const pastTask = await makeTask(team, past.id, { date: '2026-07-01', title: '辅导作业' });
	const group = await makeGroup(team, past.id);
	await groups.addGroupMember(
		{ actor: captain, teamId: team.teamId, eventId: past.id },
		group.id,
		v.id
	);
	await tasks.claimTask(
		{ actor: as(v), teamId: team.teamId, eventId: past.id },
		pastTask.id,
		key()
	);
	await tasks.claimTask(
		{ actor: as(other), teamId: team.teamId, eventId: past.id },
		pastTask.id,
		key()
	);
	await attendance.checkInByHand(inPast, v.id, 'day', at('2026-07-01T00:30:00Z'));
	await attendance.checkOut(inPast, v.id, 'day', at('2026-07-01T03:30:00Z'));
	await attendance.checkInByHand(inPast, other.id, 'day', at('2026-07-01T00:30:00Z'));
	await incidents.reportIncident(
		{ actor: as(v), teamId: team.teamId, eventId: past.id },
		{ category: 'lost_item', severity: 'low', description: '音箱的电源线不见了' },
		at('2026-07-01T01:00:00Z')
	);
	await events.changeStatus({ actor: captain, teamId: team.teamId, eventId: past.id }, 'completed');

	const coming = await makeEvent(team, { status: 'planned' });
	const full = await makeTask(team, coming.id, { title: '搬音箱', capacity: 1 });
	await tasks.claimTask({ actor: as(v), teamId: team.teamId, eventId: coming.id }, full.id, key());
	await tasks.claimTask(
		{ actor: as(other), teamId: team.teamId, eventId: coming.id },
		full.id,
		key()
	);
	const pledge = await donations.pledgeDonation(
		{ actor: as(v), teamId: team.teamId, eventId: coming.id },
		{
			category: 'books',
			description: '课外读物',
			unit: '本',
			quantity: 10,
			donorName: '王阿姨',
			donorKind: 'classmate'
		}
	);
	return { team, v, other, past, pastTask, coming, full, pledge };
}

/**
 * The volunteer's sign-ups once they are gone: the past claim kept, the coming one `status`,
 * and its slot given to the first in line.
 */
async function expectSignupsLeft(
	h: Awaited<ReturnType<typeof volunteerWithHistory>>,
	status: 'withdrawn' | 'removed'
) {
	const rows = await getDb().select().from(taskSignups).where(eq(taskSignups.userId, h.v.id));
	expect(rows.map((s) => [s.taskId, s.status]).sort()).toEqual(
		[
			[h.pastTask.id, 'claimed'],
			[h.full.id, status]
		].sort()
	);
	const detail = await tasks.getTaskDetail(as(h.other), h.team.teamId, h.coming.id, h.full.id);
	expect(detail.task).toMatchObject({ taken: 1, waiting: 0 });
}

describe('exportMyData', () => {
	it('holds the person’s own data and nobody else’s personal data, tokens or hashes', async () => {
		const h = await volunteerWithHistory();
		const data = await accounts.exportMyData(as(h.v), at('2026-07-02T00:00:00Z'));
		const me = await accounts.getUser(h.v.id);
		expect(data.profile).toMatchObject({ id: h.v.id, email: h.v.email, phone: me?.phone });
		expect(data.teams).toEqual([
			expect.objectContaining({ teamId: h.team.teamId, role: 'volunteer' })
		]);
		expect(data.groups).toEqual([
			expect.objectContaining({ eventId: h.past.id, isMember: true, isLeader: false })
		]);
		expect(data.taskSignups.map((s) => [s.taskTitle, s.status]).sort()).toEqual([
			['搬音箱', 'claimed'],
			['辅导作业', 'claimed']
		]);
		expect(data.attendance).toEqual([
			expect.objectContaining({
				eventId: h.past.id,
				session: 'day',
				minutes: 180,
				isEstimated: false
			})
		]);
		expect(data.incidentsReported).toEqual([
			expect.objectContaining({ category: 'lost_item', description: '音箱的电源线不见了' })
		]);
		expect(data.donations).toEqual([
			expect.objectContaining({
				donationId: h.pledge.id,
				pledged: 10,
				isPledgedByMe: true,
				isHeldByMe: true
			})
		]);

		const text = JSON.stringify(data);
		const captain = await accounts.getUser(h.team.captain.id);
		const other = await accounts.getUser(h.other.id);
		for (const foreign of [
			captain!.email,
			captain!.displayName,
			other!.email,
			other!.displayName
		]) {
			expect(text).not.toContain(foreign);
		}
		expect(text).not.toContain('王阿姨');
		expect(text).not.toMatch(/\$argon2|password|token|hash/i);
	});

	it('is refused for a deleted account', async () => {
		const user = await makeUser();
		await accounts.deleteAccount(as(user), { password: DEFAULT_PASSWORD });
		await expect(accounts.exportMyData(as(user))).rejects.toBeInstanceOf(NotFound);
	});
});

describe('deleteAccount', () => {
	it('needs the right password and changes nothing otherwise', async () => {
		const team = await makeTeam();
		const v = await addMember(team);
		await expect(
			accounts.deleteAccount(as(v), { password: 'wrong password' })
		).rejects.toMatchObject({
			fields: { password: ['account_delete_password_wrong'] }
		});
		await expect(accounts.deleteAccount(as(v), {})).rejects.toBeInstanceOf(Invalid);
		expect(await accounts.getUser(v.id)).toMatchObject({ email: v.email });
		expect((await teams.getMembership(as(v), team.teamId)).role).toBe('volunteer');
	});

	it('refuses the last captain of a team until they hand over, then goes through', async () => {
		const team = await makeTeam();
		const leader = await addMember(team, 'leader');
		expect(await accounts.teamsNeedingHandover(as(team.captain))).toEqual([
			{ id: team.teamId, name: expect.any(String) }
		]);
		const err = await accounts
			.deleteAccount(as(team.captain), { password: DEFAULT_PASSWORD })
			.catch((e: unknown) => e);
		expect(err).toBeInstanceOf(Conflict);
		expect(err).toMatchObject({ code: 'account_delete_last_captain' });
		expect(await accounts.getUser(team.captain.id)).toMatchObject({ email: team.captain.email });

		await teams.changeRole(as(team.captain), team.teamId, leader.id, 'captain');
		expect(await accounts.teamsNeedingHandover(as(team.captain))).toEqual([]);
		await accounts.deleteAccount(as(team.captain), { password: DEFAULT_PASSWORD });
		await expect(teams.getMembership(as(team.captain), team.teamId)).rejects.toBeInstanceOf(
			NotFound
		);
	});

	it('anonymises the person, ends sessions and channels, keeps past claims and hours, releases coming ones', async () => {
		const h = await volunteerWithHistory();
		const { token } = await createSession(h.v.id);
		const hoursBefore = await attendance.getEventHours(
			as(h.team.captain),
			h.team.teamId,
			h.past.id
		);
		expect(await canReadTopic(getDb(), `team:${h.team.teamId}`, h.v.id)).toBe(true);
		const membership: string[] = [];
		const hints: string[] = [];
		const stopMembership = await t.handle.listen(MEMBERSHIP_CHANNEL, (p) => membership.push(p));
		const stopHints = await t.handle.listen(BROADCAST_CHANNEL, (p) => hints.push(p));

		await accounts.deleteAccount(as(h.v), { password: DEFAULT_PASSWORD });

		await expect.poll(() => membership).toContain(h.team.teamId);
		await expect.poll(() => hints.some((p) => p.includes(h.full.id))).toBe(true);
		await stopMembership();
		await stopHints();

		const [row] = await getDb().select().from(users).where(eq(users.id, h.v.id));
		expect(row.deletedAt).not.toBeNull();
		expect(row.phone).toBeNull();
		expect(row.email).toBe(accounts.tombstoneEmail(h.v.id));
		expect(row.displayName).toBe(accounts.DELETED_USER_NAME);
		expect(await validateSessionToken(token)).toBeNull();
		expect(await getDb().select().from(sessions).where(eq(sessions.userId, h.v.id))).toEqual([]);
		await expect(
			accounts.signIn({ email: h.v.email, password: DEFAULT_PASSWORD, ip: '192.0.2.1' })
		).rejects.toBeInstanceOf(Invalid);
		expect(await canReadTopic(getDb(), `team:${h.team.teamId}`, h.v.id)).toBe(false);
		expect(await canReadTopic(getDb(), `event:${h.past.id}`, h.v.id)).toBe(false);

		// The finished day still counts them: same hours in all, one more anonymous row.
		const hoursAfter = await attendance.getEventHours(as(h.team.captain), h.team.teamId, h.past.id);
		expect(hoursAfter.totalMinutes).toBe(hoursBefore.totalMinutes);
		expect(hoursAfter.rows).toHaveLength(2);
		expect(hoursAfter.rows.map((r) => r.displayName)).toContain(accounts.DELETED_USER_NAME);
		// The coming task's slot went to the first in line.
		await expectSignupsLeft(h, 'withdrawn');

		// The email is free again: a new account, which inherits nothing.
		const again = await makeUser({ email: h.v.email });
		expect(again.id).not.toBe(h.v.id);
		expect((await accounts.exportMyData(as(again))).taskSignups).toEqual([]);
	});
});

describe('deleteAccount under concurrency (PostgreSQL)', () => {
	it.runIf(isPostgres)(
		'two captains deleting at once leave the team its last captain',
		async () => {
			const team = await makeTeam();
			const second = await addMember(team, 'leader');
			await teams.changeRole(as(team.captain), team.teamId, second.id, 'captain');
			const outcomes = await Promise.allSettled(
				[team.captain, second].map((c) =>
					accounts.deleteAccount(as(c), { password: DEFAULT_PASSWORD })
				)
			);
			expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
			const refused = outcomes.find((o) => o.status === 'rejected');
			expect(refused?.reason).toBeInstanceOf(Conflict);
			const left = await getDb().select().from(users).where(isNull(users.deletedAt));
			const survivors = [team.captain.id, second.id].filter((id) => left.some((u) => u.id === id));
			expect(survivors).toHaveLength(1);
			expect((await teams.getMembership({ userId: survivors[0] }, team.teamId)).role).toBe(
				'captain'
			);
		}
	);
});

describe('removing a member', () => {
	it('withdraws their open sign-ups in the same transaction and promotes the line', async () => {
		const h = await volunteerWithHistory();
		const hints: string[] = [];
		const stop = await t.handle.listen(BROADCAST_CHANNEL, (p) => hints.push(p));
		await teams.removeMember(as(h.team.captain), h.team.teamId, h.v.id);
		await expect.poll(() => hints.some((p) => p.includes(h.full.id))).toBe(true);
		await stop();
		await expectSignupsLeft(h, 'removed');
		const claimed = await getDb()
			.select()
			.from(taskSignups)
			.where(eq(taskSignups.taskId, h.full.id));
		expect(claimed.filter((s) => s.status === 'claimed').map((s) => s.userId)).toEqual([
			h.other.id
		]);
	});

	it('frees a waitlist place too, closing the gap', async () => {
		const team = await makeTeam();
		const [a, b, c] = [await addMember(team), await addMember(team), await addMember(team)];
		const { id: eventId } = await makeEvent(team, { status: 'planned' });
		const task = await makeTask(team, eventId, { capacity: 1 });
		for (const who of [a, b, c])
			await tasks.claimTask({ actor: as(who), teamId: team.teamId, eventId }, task.id, key());
		await teams.leaveTeam(as(b), team.teamId);
		const rows = await getDb().select().from(taskSignups).where(eq(taskSignups.taskId, task.id));
		const byUser = Object.fromEntries(rows.map((r) => [r.userId, [r.status, r.position]]));
		expect(byUser).toEqual({
			[a.id]: ['claimed', null],
			[b.id]: ['withdrawn', null],
			[c.id]: ['waiting', 1]
		});
	});

	it('takes them out of the groups of coming events, not of finished ones', async () => {
		const team = await makeTeam();
		const captain = as(team.captain);
		const leader = await addMember(team, 'leader');
		const v = await addMember(team);
		const past = await makeEvent(team, { status: 'confirmed', date: '2026-07-01' });
		const pastGroup = await makeGroup(team, past.id, { leaderId: leader.id });
		await groups.addGroupMember(
			{ actor: captain, teamId: team.teamId, eventId: past.id },
			pastGroup.id,
			v.id
		);
		await events.changeStatus(
			{ actor: captain, teamId: team.teamId, eventId: past.id },
			'completed'
		);
		const coming = await makeEvent(team, { status: 'planned' });
		const group = await makeGroup(team, coming.id, { leaderId: leader.id });
		await groups.addGroupMember(
			{ actor: captain, teamId: team.teamId, eventId: coming.id },
			group.id,
			v.id
		);

		await teams.removeMember(captain, team.teamId, leader.id);
		await teams.leaveTeam(as(v), team.teamId);

		// PostgreSQL shares one database per file: look at this test's rows only.
		const leaders = await getDb()
			.select({ id: eventGroups.id, leaderId: eventGroups.leaderId })
			.from(eventGroups)
			.where(inArray(eventGroups.id, [pastGroup.id, group.id]));
		expect(Object.fromEntries(leaders.map((g) => [g.id, g.leaderId]))).toEqual({
			[pastGroup.id]: leader.id,
			[group.id]: null
		});
		const members = await getDb()
			.select()
			.from(groupMembers)
			.where(inArray(groupMembers.userId, [leader.id, v.id]));
		expect(members.map((m) => [m.groupId, m.userId])).toEqual([[pastGroup.id, v.id]]);
	});
});
