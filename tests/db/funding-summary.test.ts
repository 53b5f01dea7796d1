// The post-event summary, read through the other domains' own commands and queries.
import { describe, expect, it } from 'vitest';
import * as attendance from '../../src/lib/server/attendance';
import * as donations from '../../src/lib/server/donations';
import * as funding from '../../src/lib/server/funding';
import * as incidents from '../../src/lib/server/incidents';
import { getEventSummary } from '../../src/lib/server/summary';
import { Forbidden, NotFound } from '../../src/lib/server/errors';
import { useTestDatabase } from './helpers';
import { addMember, makeTeam } from '../factories/teams';
import { makeEvent } from '../factories/events';
import { as, scopeFor } from './values';
import { makeGroup } from '../factories/groups';
import { makeDonation, makeEntry } from '../factories/donations';

useTestDatabase();

describe('post-event summary', () => {
	it('counts the day for captains: volunteers, donations, money, sponsors, incidents', async () => {
		const team = await makeTeam();
		const leader = await addMember(team, 'leader');
		const volunteer = await addMember(team);
		const { id: eventId } = await makeEvent(team, { status: 'confirmed' });
		const g = await makeGroup(team, eventId, { leaderId: leader.id });
		await attendance.checkInByHand(scopeFor(team.captain, team, eventId), volunteer.id);
		await attendance.checkInByHand(scopeFor(team.captain, team, eventId), leader.id);
		const d = await makeDonation(team, eventId, { quantity: 30, receivedNow: true });
		await donations.distributeDonation(
			{ actor: as(leader), teamId: team.teamId, eventId },
			d.id,
			25,
			g.id
		);
		await makeDonation(team, eventId, { category: 'stationery', quantity: 5 });
		await makeEntry(team, eventId, { amount: '800' });
		await makeEntry(team, eventId, { direction: 'expense', category: 'gifts', amount: '120.5' });
		await funding.addSponsor(
			{ actor: as(team.captain), teamId: team.teamId, eventId },
			{
				name: '阳光文具',
				thanks: '感谢捐赠文具'
			}
		);
		const secret = '孩子在台阶上摔倒';
		await incidents.reportIncident(
			{ actor: as(volunteer), teamId: team.teamId, eventId },
			{
				category: 'injury',
				severity: 'medium',
				description: secret
			}
		);

		const summary = await getEventSummary(as(team.captain), team.teamId, eventId);
		expect(summary.volunteers.present).toBe(2);
		expect(summary.volunteers.rows.map((r) => r.userId).sort()).toEqual(
			[volunteer.id, leader.id].sort()
		);
		expect(summary.donations).toEqual([
			{ category: 'books', pledged: 30, received: 30, distributed: 25, count: 1 },
			{ category: 'stationery', pledged: 5, received: 0, distributed: 0, count: 1 }
		]);
		expect(summary.funding).toMatchObject({
			incomeFen: 80000,
			expenseFen: 12050,
			balanceFen: 67950
		});
		expect(summary.sponsors.map((s) => s.thanks)).toEqual(['感谢捐赠文具']);
		expect(summary.incidents).toEqual([
			{ severity: 'low', count: 0 },
			{ severity: 'medium', count: 1 },
			{ severity: 'high', count: 0 },
			{ severity: 'urgent', count: 0 }
		]);
		expect(summary.performances).toEqual([]);
		// Counts only: no incident text anywhere in what the page receives.
		expect(JSON.stringify(summary)).not.toContain(secret);

		await expect(getEventSummary(as(leader), team.teamId, eventId)).rejects.toBeInstanceOf(
			Forbidden
		);
		await expect(getEventSummary(as(volunteer), team.teamId, eventId)).rejects.toBeInstanceOf(
			Forbidden
		);
		const outsider = (await makeTeam()).captain;
		await expect(getEventSummary(as(outsider), team.teamId, eventId)).rejects.toBeInstanceOf(
			NotFound
		);
	});
});
