// Retention (DOMAIN.md): incident text and notes go a set time after the event, counts stay;
// the community contact's details go after CONTACT_RETENTION_DAYS. The hourly sweep does all.
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import * as retention from '../../src/lib/server/retention';
import * as tasks from '../../src/lib/server/tasks';
import * as events from '../../src/lib/server/events';
import * as incidents from '../../src/lib/server/incidents';
import * as accounts from '../../src/lib/server/accounts';
import * as attendance from '../../src/lib/server/attendance';
import { getDb } from '../../src/lib/server/db';
import {
	announcements,
	eventContacts,
	events as eventsTable,
	incidents as incidentsTable,
	rehearsals
} from '../../src/lib/server/db/schema';
import { useTestDatabase } from './helpers';
import { as, at, plusMinutes } from './values';
import { addMember, makeTeam } from '../factories/teams';
import { makeEvent } from '../factories/events';
import { key, makeTask } from '../factories/tasks';
import { makeContact } from '../factories/contacts';

useTestDatabase();

async function dayWithText(date: string) {
	const team = await makeTeam();
	const v = await addMember(team);
	const { id: eventId } = await makeEvent(team, {
		status: 'confirmed',
		date,
		notes: '集合后先清点人数'
	});
	const show = await makeTask(team, eventId, { kind: 'performance', date, title: '合唱' });
	await tasks.claimTask({ actor: as(v), teamId: team.teamId, eventId }, show.id, key());
	await tasks.logRehearsal({ actor: as(v), teamId: team.teamId, eventId }, show.id, {
		date,
		note: '第一次彩排，节奏还要练'
	});
	await events.postAnnouncement(
		{ actor: as(team.captain), teamId: team.teamId, eventId },
		{ body: '带上水杯' }
	);
	await incidents.reportIncident(
		{ actor: as(v), teamId: team.teamId, eventId },
		{ category: 'venue', severity: 'low', description: '话筒没电了' },
		at(`${date}T01:00:00Z`)
	);
	await makeContact(team, eventId);
	return { team, v, eventId, showId: show.id };
}

describe('retention sweep', () => {
	it('erases incident text, rehearsal notes, announcements and event notes when due, and no earlier', async () => {
		const day = await dayWithText('2026-07-01');
		const later = await dayWithText('2026-12-01');
		// The event ends 12:30 Shanghai = 04:30 UTC; 90 days (the default) later is 2026-09-29.
		const due = at('2026-09-29T04:30:00Z');

		expect(await retention.sweepRetention(plusMinutes(due, -1))).toEqual({
			incidents: 0,
			contacts: 0,
			rehearsalNotes: 0,
			announcements: 0,
			eventNotes: 0
		});
		expect(await retention.sweepRetention(due)).toEqual({
			incidents: 1,
			contacts: 0,
			rehearsalNotes: 1,
			announcements: 1,
			eventNotes: 1
		});
		// Rows stay where counts matter: the rehearsal is still logged, the incident still counted.
		const logged = await getDb().select().from(rehearsals);
		expect(logged.map((r) => r.note).sort()).toEqual([null, '第一次彩排，节奏还要练']);
		const detail = await tasks.getTaskDetail(as(day.v), day.team.teamId, day.eventId, day.showId);
		expect(detail.rehearsals).toEqual([expect.objectContaining({ note: null })]);
		const [report] = await getDb()
			.select()
			.from(incidentsTable)
			.where(eq(incidentsTable.eventId, day.eventId));
		expect(report).toMatchObject({ description: null, category: 'venue' });
		const notes = await getDb()
			.select({ id: eventsTable.id, notes: eventsTable.notes })
			.from(eventsTable);
		expect(Object.fromEntries(notes.map((e) => [e.id, e.notes]))).toEqual({
			[day.eventId]: null,
			[later.eventId]: '集合后先清点人数'
		});
		const left = await getDb().select({ eventId: announcements.eventId }).from(announcements);
		expect(left).toEqual([{ eventId: later.eventId }]);
		// The person's export no longer carries the erased text either.
		const mine = await accounts.exportMyData(as(day.v), due);
		expect(mine.rehearsalNotes).toEqual([expect.objectContaining({ note: null })]);
		expect(mine.incidentsReported).toEqual([expect.objectContaining({ description: null })]);

		// The contact's details go at the end of the event's day plus 90 days (Shanghai).
		const contactDue = at('2026-09-29T16:00:00Z');
		expect((await retention.sweepRetention(plusMinutes(contactDue, -1))).contacts).toBe(0);
		expect((await retention.sweepRetention(contactDue)).contacts).toBe(1);
		const contacts = await getDb()
			.select({ eventId: eventContacts.eventId, name: eventContacts.name })
			.from(eventContacts);
		expect(Object.fromEntries(contacts.map((c) => [c.eventId, c.name]))).toEqual({
			[day.eventId]: null,
			[later.eventId]: '陈主任'
		});
		// Idempotent: a second sweep (another instance, the next hour) finds nothing.
		expect(await retention.sweepRetention(contactDue)).toEqual({
			incidents: 0,
			contacts: 0,
			rehearsalNotes: 0,
			announcements: 0,
			eventNotes: 0
		});
	});

	it('follows the event’s own retention setting', async () => {
		const day = await dayWithText('2026-07-01');
		await attendance.updateDaySettings(
			{ actor: as(day.team.captain), teamId: day.team.teamId, eventId: day.eventId },
			{
				lateAfterMinutes: 15,
				escalateAfterMinutes: 5,
				meetingTime: '19:00',
				retentionDays: 10
			}
		);
		const due = at('2026-07-11T04:30:00Z');
		expect((await retention.eraseExpiredNotes(plusMinutes(due, -1))).rehearsalNotes).toBe(0);
		expect(await retention.eraseExpiredNotes(due)).toEqual({
			rehearsalNotes: 1,
			announcements: 1,
			eventNotes: 1
		});
	});
});
