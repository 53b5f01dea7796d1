import { describe, expect, it } from 'vitest';
import { eq, inArray } from 'drizzle-orm';
import * as incidents from '../../src/lib/server/incidents';
import { canReadTopic } from '../../src/lib/server/realtime';
import { getDb } from '../../src/lib/server/db';
import { incidents as incidentsTable, users } from '../../src/lib/server/db/schema';
import { Conflict, Forbidden, Invalid, NotFound, RateLimited } from '../../src/lib/server/errors';
import { RATE_LIMITS } from '../../src/lib/server/auth/rate-limit';
import { isPostgres, useTestDatabase } from './helpers';
import { as, at, failure, plusMinutes } from './values';
import { BROADCAST_CHANNEL, decodeBroadcast } from '../../src/lib/server/realtime/notify';
import { addMember, makeTeam } from '../factories/teams';
import { makeEvent } from '../factories/events';
import { makeGroup } from '../factories/groups';

const t = useTestDatabase();
const settle = () => new Promise((resolve) => setTimeout(resolve, 150));

const report = {
	category: 'injury',
	severity: 'urgent',
	description: '一名孩子跑步时摔倒，膝盖擦伤',
	place: '活动室门口'
};

async function dayWithStaff() {
	const team = await makeTeam();
	const leader = await addMember(team, 'leader');
	const otherLeader = await addMember(team, 'leader');
	const v = await addMember(team);
	const bystander = await addMember(team);
	const { id } = await makeEvent(team, { status: 'confirmed', date: '2026-07-01' });
	const g = await makeGroup(team, id, { leaderId: leader.id });
	return { team, leader, otherLeader, v, bystander, eventId: id, groupId: g.id };
}

describe('incidents', () => {
	it('is seen by captains, the event’s leaders and the reporter only; moves open → acknowledged → resolved', async () => {
		const { team, leader, otherLeader, v, bystander, eventId, groupId } = await dayWithStaff();
		const now = at('2026-07-01T01:00:00Z');
		const { id } = await incidents.reportIncident(
			{ actor: as(v), teamId: team.teamId, eventId },
			{ ...report, groupId },
			now
		);

		const byCaptain = await incidents.listIncidents(as(team.captain), team.teamId, eventId, now);
		expect(byCaptain.incidents.map((i) => [i.id, i.status, i.description])).toEqual([
			[id, 'open', report.description]
		]);
		expect(byCaptain.alerts.map((a) => a.id)).toEqual([id]);
		// The only captain is the viewer: no button to call oneself.
		expect(byCaptain.captains).toEqual([]);
		expect(
			(await incidents.listIncidents(as(leader), team.teamId, eventId, now)).incidents
		).toHaveLength(1);
		expect(
			(await incidents.listIncidents(as(v), team.teamId, eventId, now)).incidents
		).toHaveLength(1);
		// A leader who leads no group of this event, and another volunteer, see nothing.
		expect(
			(await incidents.listIncidents(as(otherLeader), team.teamId, eventId, now)).incidents
		).toEqual([]);
		expect(
			(await incidents.listIncidents(as(bystander), team.teamId, eventId, now)).incidents
		).toEqual([]);

		// Only staff move it; resolving needs an acknowledgement first.
		expect(
			await failure(
				incidents.acknowledgeIncident({ actor: as(v), teamId: team.teamId, eventId }, id, now)
			)
		).toBeInstanceOf(Forbidden);
		expect(
			await failure(
				incidents.acknowledgeIncident(
					{ actor: as(otherLeader), teamId: team.teamId, eventId },
					id,
					now
				)
			)
		).toBeInstanceOf(Forbidden);
		const early = await failure(
			incidents.resolveIncident(
				{ actor: as(team.captain), teamId: team.teamId, eventId },
				id,
				'已处理',
				now
			)
		);
		expect(early).toBeInstanceOf(Conflict);
		await incidents.acknowledgeIncident(
			{ actor: as(team.captain), teamId: team.teamId, eventId },
			id,
			plusMinutes(now, 1)
		);
		const twice = await failure(
			incidents.acknowledgeIncident(
				{ actor: as(leader), teamId: team.teamId, eventId },
				id,
				plusMinutes(now, 2)
			)
		);
		expect((twice as Conflict).code).toBe('incidents_error_already_acknowledged');
		const seen = await incidents.listIncidents(as(v), team.teamId, eventId, plusMinutes(now, 2));
		expect(seen.incidents[0]).toMatchObject({
			status: 'acknowledged',
			acknowledgedAt: plusMinutes(now, 1)
		});
		expect(seen.alerts).toEqual([]);
		expect(
			await failure(
				incidents.resolveIncident(
					{ actor: as(leader), teamId: team.teamId, eventId },
					id,
					'  ',
					now
				)
			)
		).toBeInstanceOf(Invalid);
		await incidents.resolveIncident(
			{ actor: as(leader), teamId: team.teamId, eventId },
			id,
			'已消毒包扎',
			plusMinutes(now, 10)
		);
		const done = await incidents.listIncidents(
			as(team.captain),
			team.teamId,
			eventId,
			plusMinutes(now, 10)
		);
		expect(done.incidents[0]).toMatchObject({ status: 'resolved', resolution: '已消毒包扎' });
		expect(
			await failure(
				incidents.resolveIncident({ actor: as(leader), teamId: team.teamId, eventId }, id, 'x', now)
			)
		).toBeInstanceOf(Conflict);
	});

	it('alerts with what, where, who and when, and the phones to call: never the viewer’s own', async () => {
		const { team, leader, v, eventId, groupId } = await dayWithStaff();
		const second = await addMember(team, 'captain');
		const now = at('2026-07-01T01:00:00Z');
		const { id } = await incidents.reportIncident(
			{ actor: as(v), teamId: team.teamId, eventId },
			{ ...report, groupId },
			now
		);
		const phones = await getDb()
			.select({ id: users.id, phone: users.phone, name: users.displayName })
			.from(users)
			.where(inArray(users.id, [v.id, leader.id, second.id]));
		const of = (userId: string) => phones.find((p) => p.id === userId)!;

		const page = await incidents.getAlerts(as(team.captain), team.teamId, eventId, now);
		expect(page.alerts).toEqual([
			{
				id,
				category: 'injury',
				severity: 'urgent',
				description: report.description,
				place: report.place,
				groupName: expect.any(String),
				createdAt: now,
				// Sent at once: reported when received.
				reportedAt: now,
				timeZone: 'Asia/Shanghai',
				isEscalated: false,
				reporter: { name: of(v.id).name, phone: of(v.id).phone },
				leader: { name: of(leader.id).name, phone: of(leader.id).phone }
			}
		]);
		// The other captain is offered; the viewing captain is not.
		expect(page.captains).toEqual([
			{ displayName: of(second.id).name, phone: of(second.id).phone }
		]);

		// Once escalated the group's leader gets the alert: their own phone is not offered to them.
		const byLeader = await incidents.getAlerts(
			as(leader),
			team.teamId,
			eventId,
			plusMinutes(now, 30)
		);
		expect(byLeader.alerts[0].leader).toEqual({ name: of(leader.id).name, phone: null });
		expect(byLeader.alerts[0].reporter?.phone).toBe(of(v.id).phone);
		expect(byLeader.captains).toHaveLength(2);
		// The reporter's own view of the incident carries no alert (no phones either).
		expect((await incidents.getAlerts(as(v), team.teamId, eventId, now)).alerts).toEqual([]);
	});

	it('refuses another team’s member, unknown ids, bad input and groups of other events', async () => {
		const { team, eventId } = await dayWithStaff();
		const outsider = await makeTeam();
		expect(
			await failure(
				incidents.reportIncident(
					{ actor: as(outsider.captain), teamId: team.teamId, eventId },
					report
				)
			)
		).toBeInstanceOf(NotFound);
		const { id } = await incidents.reportIncident(
			{ actor: as(team.captain), teamId: team.teamId, eventId },
			report
		);
		expect(
			await failure(
				incidents.acknowledgeIncident(
					{ actor: as(outsider.captain), teamId: team.teamId, eventId },
					id
				)
			)
		).toBeInstanceOf(NotFound);
		expect(
			await failure(
				incidents.acknowledgeIncident(
					{ actor: as(team.captain), teamId: team.teamId, eventId },
					'nope'
				)
			)
		).toBeInstanceOf(Invalid);
		expect(
			await failure(
				incidents.acknowledgeIncident(
					{ actor: as(team.captain), teamId: team.teamId, eventId },
					crypto.randomUUID()
				)
			)
		).toBeInstanceOf(NotFound);
		for (const bad of [
			{ ...report, severity: 'extreme' },
			{ ...report, category: '' },
			{ ...report, description: '' },
			{ ...report, groupId: 'x' }
		]) {
			expect(
				await failure(
					incidents.reportIncident({ actor: as(team.captain), teamId: team.teamId, eventId }, bad)
				)
			).toBeInstanceOf(Invalid);
		}
		const elsewhere = await makeEvent(team, { status: 'planned' });
		const foreignGroup = await makeGroup(team, elsewhere.id);
		expect(
			await failure(
				incidents.reportIncident(
					{ actor: as(team.captain), teamId: team.teamId, eventId },
					{
						...report,
						groupId: foreignGroup.id
					}
				)
			)
		).toBeInstanceOf(Invalid);
	});

	it('limits reports per person', async () => {
		const { team, v, eventId } = await dayWithStaff();
		const now = at('2026-07-01T01:00:00Z');
		for (let i = 0; i < RATE_LIMITS.incidentReport.limit; i++) {
			await incidents.reportIncident(
				{ actor: as(v), teamId: team.teamId, eventId },
				{ ...report, severity: 'low' },
				now
			);
		}
		expect(
			await failure(
				incidents.reportIncident({ actor: as(v), teamId: team.teamId, eventId }, report, now)
			)
		).toBeInstanceOf(RateLimited);
	});

	it('escalates an unacknowledged incident to every leader of the event after the set minutes', async () => {
		const { team, leader, v, eventId } = await dayWithStaff();
		const now = at('2026-07-01T01:00:00Z');
		const { id } = await incidents.reportIncident(
			{ actor: as(v), teamId: team.teamId, eventId },
			report,
			now
		);
		const leaderAt = (t: Date) => incidents.listIncidents(as(leader), team.teamId, eventId, t);
		const before = await leaderAt(plusMinutes(now, 4.99));
		expect(before.alerts).toEqual([]);
		expect(before.nextEscalationAt).toEqual(plusMinutes(now, 5));
		const after = await leaderAt(plusMinutes(now, 5));
		expect(after.alerts.map((a) => [a.id, a.isEscalated])).toEqual([[id, true]]);
		expect(after.nextEscalationAt).toBeNull();
		// Acknowledged in time: no escalation at all.
		const second = await incidents.reportIncident(
			{ actor: as(v), teamId: team.teamId, eventId },
			report,
			plusMinutes(now, 10)
		);
		await incidents.acknowledgeIncident(
			{ actor: as(team.captain), teamId: team.teamId, eventId },
			second.id,
			plusMinutes(now, 12)
		);
		const later = await leaderAt(plusMinutes(now, 30));
		expect(later.alerts.map((a) => a.id)).toEqual([id]);
	});

	it('erases the text after the retention time, keeping the rows (fake clock)', async () => {
		const { team, v, eventId } = await dayWithStaff();
		const day = at('2026-07-01T01:00:00Z');
		const { id } = await incidents.reportIncident(
			{ actor: as(v), teamId: team.teamId, eventId },
			report,
			day
		);
		await incidents.acknowledgeIncident(
			{ actor: as(team.captain), teamId: team.teamId, eventId },
			id,
			day
		);
		await incidents.resolveIncident(
			{ actor: as(team.captain), teamId: team.teamId, eventId },
			id,
			'已处理',
			day
		);
		// The event ends 12:30 Shanghai = 04:30 UTC on 2026-07-01; 90 days later is 2026-09-29.
		const due = at('2026-09-29T04:30:00Z');
		expect(await incidents.sweepExpiredText(plusMinutes(due, -1))).toBe(0);
		const kept = await incidents.listIncidents(
			as(team.captain),
			team.teamId,
			eventId,
			plusMinutes(due, -1)
		);
		expect(kept.incidents[0].description).toBe(report.description);
		expect(kept.erasesAt).toEqual(due);
		const gone = await incidents.listIncidents(as(team.captain), team.teamId, eventId, due);
		expect(gone.incidents).toHaveLength(1);
		expect(gone.incidents[0]).toMatchObject({
			isErased: true,
			description: null,
			place: null,
			resolution: null,
			status: 'resolved',
			category: 'injury'
		});
		const [row] = await getDb().select().from(incidentsTable).where(eq(incidentsTable.id, id));
		expect(row).toMatchObject({ description: null, place: null, resolution: null });
		expect(row.erasedAt).not.toBeNull();
		expect(await incidents.sweepExpiredText(plusMinutes(due, 60))).toBe(0);
	});

	it('lets only captains and the event’s group leaders join the staff topic', async () => {
		const { team, leader, otherLeader, v, eventId } = await dayWithStaff();
		const db = getDb();
		const topic = `event-staff:${eventId}`;
		expect(await canReadTopic(db, topic, team.captain.id)).toBe(true);
		expect(await canReadTopic(db, topic, leader.id)).toBe(true);
		expect(await canReadTopic(db, topic, otherLeader.id)).toBe(false);
		expect(await canReadTopic(db, topic, v.id)).toBe(false);
		expect(await canReadTopic(db, `event:${eventId}`, v.id)).toBe(true);
		const outsider = await makeTeam();
		expect(await canReadTopic(db, topic, outsider.captain.id)).toBe(false);
	});

	it('publishes its hints on the staff topic only: ids, never text', async () => {
		const { team, v, eventId } = await dayWithStaff();
		const messages: { topic: string; payload: Record<string, unknown> }[] = [];
		const unlisten = await t.handle.listen(BROADCAST_CHANNEL, (text) => {
			const message = decodeBroadcast(text);
			if (message) messages.push(message);
		});
		const { id } = await incidents.reportIncident(
			{ actor: as(v), teamId: team.teamId, eventId },
			report
		);
		await incidents.acknowledgeIncident(
			{ actor: as(team.captain), teamId: team.teamId, eventId },
			id
		);
		await settle();
		await unlisten();
		expect(messages).toEqual([
			{
				topic: `event-staff:${eventId}`,
				event: 'hint',
				payload: { kinds: ['incidents'], ids: [id], version: 1 }
			},
			{
				topic: `event-staff:${eventId}`,
				event: 'hint',
				payload: { kinds: ['incidents'], ids: [id], version: 2 }
			}
		]);
	});
});

describe.runIf(isPostgres)('incidents under concurrency', () => {
	it('lets exactly one of many simultaneous acknowledgements win', async () => {
		const { team, leader, v, eventId } = await dayWithStaff();
		const second = await addMember(team, 'captain');
		const { id } = await incidents.reportIncident(
			{ actor: as(v), teamId: team.teamId, eventId },
			report
		);
		const results = await Promise.allSettled(
			[team.captain, leader, second, team.captain, leader, second].map((who) =>
				incidents.acknowledgeIncident({ actor: as(who), teamId: team.teamId, eventId }, id)
			)
		);
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
		for (const r of results.filter((r) => r.status === 'rejected')) {
			expect((r as PromiseRejectedResult).reason).toBeInstanceOf(Conflict);
		}
	});
});
