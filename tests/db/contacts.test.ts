import { describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import * as contacts from '../../src/lib/server/contacts';
import * as events from '../../src/lib/server/events';
import { getDb, rowsOf } from '../../src/lib/server/db';
import { contactLinks, eventContacts } from '../../src/lib/server/db/schema';
import { hashToken } from '../../src/lib/server/auth/tokens';
import { Conflict, Forbidden, Invalid, NotFound, RateLimited } from '../../src/lib/server/errors';
import { addDays, zonedTime } from '../../src/lib/time';
import { isPostgres, useTestDatabase } from './helpers';
import { addMember, makeTeam, type TeamFixture } from '../factories/teams';
import { inDays, makeEvent } from '../factories/events';
import { makeContact } from '../factories/contacts';

useTestDatabase();
import { as, scopeFor } from './values';
const at = (date: string, time = '00:00') => zonedTime(date, time, 'Asia/Shanghai');

async function plannedEvent(team: TeamFixture, date = inDays(14)) {
	const { id } = await events.createEvent(
		as(team.captain),
		team.teamId,
		{ title: '走进社区', date, startTime: '08:30', endTime: '12:00', venueName: '社区活动室' },
		{ locale: 'zh-CN' }
	);
	await events.changeStatus(scopeFor(team.captain, team, id), 'planned');
	return id;
}

const statusOf = async (team: TeamFixture, id: string) =>
	(await events.getEvent(as(team.captain), team.teamId, id)).event.status;

describe('the private link', () => {
	it('stores only the SHA-256 of a token of at least 128 random bits', async () => {
		const team = await makeTeam();
		const id = await plannedEvent(team);
		const { token } = await makeContact(team, id);
		expect(token).toMatch(/^[a-z2-7]{26,}$/);
		expect(token.length * 5).toBeGreaterThanOrEqual(128);
		const links = await getDb().select().from(contactLinks);
		expect(links).toHaveLength(1);
		expect(links[0].tokenHash).toBe(hashToken(token));
		// Nowhere in the contact tables does the token itself appear.
		const dump = rowsOf<{ t: string }>(
			await getDb()
				.execute(sql`select (select coalesce(json_agg(l), '[]') from contact_links l)::text
				|| (select coalesce(json_agg(c), '[]') from event_contacts c)::text
				|| (select coalesce(json_agg(h), '[]') from contact_history h)::text as t`)
		)[0].t;
		expect(dump).not.toContain(token);
		const page = await contacts.openContactLink(token);
		expect(page.status).toBe('valid');
	});

	it('expires 30 days after the event by default, and follows the event’s date', async () => {
		const team = await makeTeam();
		const date = inDays(14);
		const id = await plannedEvent(team, date);
		const { token } = await makeContact(team, id);
		expect(
			(await contacts.openContactLink(token, { now: at(addDays(date, 30), '23:59') })).status
		).toBe('valid');
		const later = at(addDays(date, 31));
		expect((await contacts.openContactLink(token, { now: later })).status).toBe('expired');
		await expect(contacts.confirmAsContact(token, { now: later })).rejects.toMatchObject({
			code: 'contact_error_link_expired'
		});
		const panel = await contacts.getContactPanel(as(team.captain), team.teamId, id, later);
		expect(panel.link).toMatchObject({ isExpired: true, validDaysAfter: 30 });
	});

	it('refuses a revoked link with its own page; a new link replaces the old', async () => {
		const team = await makeTeam();
		const id = await plannedEvent(team);
		const { token: first } = await makeContact(team, id);
		const { token: second } = await contacts.createContactLink(scopeFor(team.captain, team, id));
		expect((await contacts.openContactLink(first)).status).toBe('revoked');
		expect((await contacts.openContactLink(second)).status).toBe('valid');
		await contacts.revokeContactLink(scopeFor(team.captain, team, id));
		expect(await contacts.openContactLink(second)).toEqual({ status: 'revoked' });
		await expect(contacts.confirmAsContact(second)).rejects.toBeInstanceOf(Conflict);
		await expect(
			contacts.revokeContactLink(scopeFor(team.captain, team, id))
		).rejects.toMatchObject({ code: 'contact_error_no_link' });
		await expect(contacts.openContactLink('not a token')).rejects.toBeInstanceOf(NotFound);
		await expect(contacts.openContactLink('a'.repeat(32))).rejects.toBeInstanceOf(NotFound);
	});

	it('limits wrong tokens per address; right tokens and other addresses are not counted', async () => {
		const team = await makeTeam();
		const id = await plannedEvent(team);
		const { token } = await makeContact(team, id);
		const open = (t: string, ip: string) =>
			contacts.withLinkLimit(ip, () => contacts.openContactLink(t));
		// Visits with the right token never count.
		for (let i = 0; i < 40; i++) await open(token, '10.0.0.1');
		for (let i = 0; i < 30; i++) {
			await expect(open(`${'b'.repeat(31)}${i % 8}`, '10.0.0.2')).rejects.toBeInstanceOf(NotFound);
		}
		await expect(open(`${'c'.repeat(32)}`, '10.0.0.2')).rejects.toBeInstanceOf(RateLimited);
		// Once limited, the address is refused whatever it sends.
		await expect(open(token, '10.0.0.2')).rejects.toBeInstanceOf(RateLimited);
		expect((await open(token, '10.0.0.1')).status).toBe('valid');
	});

	it('is the captains’: others are Forbidden, another team’s captain NotFound', async () => {
		const team = await makeTeam();
		const leader = await addMember(team, 'leader');
		const other = await makeTeam();
		const id = await plannedEvent(team);
		const input = { name: '陈主任', phone: '13900001111' };
		await expect(contacts.saveContact(scopeFor(leader, team, id), input)).rejects.toBeInstanceOf(
			Forbidden
		);
		await expect(
			contacts.saveContact(scopeFor(other.captain, team, id), input)
		).rejects.toBeInstanceOf(NotFound);
		await expect(
			contacts.createContactLink(scopeFor(team.captain, team, id))
		).rejects.toMatchObject({ code: 'contact_error_no_contact' });
		await makeContact(team, id);
		for (const call of [
			() => contacts.createContactLink(scopeFor(leader, team, id)),
			() => contacts.revokeContactLink(scopeFor(leader, team, id)),
			() => contacts.acceptProposal(scopeFor(leader, team, id)),
			() => contacts.replyToContact(scopeFor(leader, team, id), { note: '好的' }),
			() => contacts.getContactPanel(as(leader), team.teamId, id)
		]) {
			await expect(call()).rejects.toBeInstanceOf(Forbidden);
		}
		for (const call of [
			() => contacts.createContactLink(scopeFor(other.captain, team, id)),
			() => contacts.revokeContactLink(scopeFor(other.captain, team, id)),
			() => contacts.acceptProposal(scopeFor(other.captain, team, id)),
			() => contacts.replyToContact(scopeFor(other.captain, team, id), { note: '好的' }),
			() => contacts.getContactPanel(as(other.captain), team.teamId, id),
			() => contacts.getContactSummary(as(other.captain), team.teamId, id)
		]) {
			await expect(call()).rejects.toBeInstanceOf(NotFound);
		}
		// Every member sees the state.
		expect(await contacts.getContactSummary(as(leader), team.teamId, id)).toMatchObject({
			state: 'pending',
			hasLink: true
		});
	});

	it('refuses bad input with field messages', async () => {
		const team = await makeTeam();
		const id = await plannedEvent(team);
		const attempt = contacts.saveContact(scopeFor(team.captain, team, id), {
			name: ' ',
			phone: 'call me',
			email: 'nope'
		});
		await expect(attempt).rejects.toBeInstanceOf(Invalid);
		await expect(attempt).rejects.toMatchObject({
			fields: {
				name: ['contact_error_name_required'],
				phone: ['contact_error_phone_invalid'],
				email: ['contact_error_email_invalid']
			}
		});
		await expect(
			contacts.createContactLink(scopeFor(team.captain, team, id), { validDaysAfter: '90' })
		).rejects.toBeInstanceOf(Invalid);
	});
});

describe('the community’s answer', () => {
	it('confirms: the event becomes confirmed and "contact the community" is checked off', async () => {
		const team = await makeTeam();
		const id = await plannedEvent(team);
		const { token } = await makeContact(team, id);
		expect(await contacts.confirmAsContact(token)).toEqual({ changed: true });
		expect(await statusOf(team, id)).toBe('confirmed');
		const checklist = await events.getChecklist(as(team.captain), team.teamId, id);
		const item = checklist.items.find((i) => i.title.startsWith('提前一周联系社区'));
		expect(item?.doneAt).toBeInstanceOf(Date);
		expect(checklist.items.filter((i) => i.doneAt)).toHaveLength(1);
		// Saying yes twice changes nothing and adds nothing to the history.
		expect(await contacts.confirmAsContact(token)).toEqual({ changed: false });
		const panel = await contacts.getContactPanel(as(team.captain), team.teamId, id);
		expect(panel.state).toBe('confirmed');
		expect(panel.history.filter((h) => h.action === 'confirmed')).toHaveLength(1);
	});

	it('leaves a draft a draft: publishing stays the captains’ decision', async () => {
		const team = await makeTeam();
		const { id } = await makeEvent(team);
		const { token } = await makeContact(team, id);
		await contacts.confirmAsContact(token);
		expect(await statusOf(team, id)).toBe('draft');
		expect((await contacts.getContactSummary(as(team.captain), team.teamId, id)).state).toBe(
			'confirmed'
		);
	});

	it('asks for re-confirmation when the team moves a confirmed event, showing what changed', async () => {
		const team = await makeTeam();
		const date = inDays(14);
		const id = await plannedEvent(team, date);
		const { token } = await makeContact(team, id);
		await contacts.confirmAsContact(token);
		const { event } = await events.getEvent(as(team.captain), team.teamId, id);
		// A change that is not date, time or venue keeps the confirmation.
		await events.updateEvent(scopeFor(team.captain, team, id), { ...event, notes: '带上名牌' });
		expect(await statusOf(team, id)).toBe('confirmed');

		await events.updateEvent(scopeFor(team.captain, team, id), {
			...event,
			date: addDays(date, 1),
			venueName: '社区小学礼堂'
		});
		expect(await statusOf(team, id)).toBe('planned');
		const page = await contacts.openContactLink(token);
		if (page.status !== 'valid') throw new Error(page.status);
		expect(page.view.state).toBe('pending');
		expect(page.view.date).toBe(addDays(date, 1));
		expect(page.view.changesSinceAnswer).toEqual([
			{ field: 'date', from: date, to: addDays(date, 1) },
			{ field: 'venueName', from: '社区活动室', to: '社区小学礼堂' }
		]);

		expect(await contacts.confirmAsContact(token)).toEqual({ changed: true });
		expect(await statusOf(team, id)).toBe('confirmed');
		const again = await contacts.openContactLink(token);
		if (again.status !== 'valid') throw new Error(again.status);
		expect(again.view.state).toBe('confirmed');
		expect(again.view.changesSinceAnswer).toEqual([]);
	});

	it('proposes a change; the captain accepts it and the event follows', async () => {
		const team = await makeTeam();
		const date = inDays(14);
		const id = await plannedEvent(team, date);
		const { token } = await makeContact(team, id);
		await contacts.confirmAsContact(token);
		await expect(
			contacts.proposeAsContact(token, { date, startTime: '08:30', endTime: '12:00' })
		).rejects.toMatchObject({ code: 'contact_error_nothing_proposed' });
		await expect(
			contacts.proposeAsContact(token, { date: '2030-02-30', startTime: '09:00', endTime: '08:00' })
		).rejects.toMatchObject({
			fields: { date: ['events_error_date_invalid'], endTime: ['events_error_end_before_start'] }
		});
		await contacts.proposeAsContact(token, {
			date: addDays(date, 2),
			startTime: '09:00',
			endTime: '11:30',
			venue: '社区服务中心二楼',
			note: '那天上午活动室有会议'
		});
		expect(await statusOf(team, id)).toBe('planned');
		const panel = await contacts.getContactPanel(as(team.captain), team.teamId, id);
		expect(panel.state).toBe('change_requested');
		expect(panel.proposal).toMatchObject({
			proposedDate: addDays(date, 2),
			proposedStartTime: '09:00:00',
			proposedEndTime: '11:30:00',
			proposedVenue: '社区服务中心二楼',
			note: '那天上午活动室有会议',
			isByContact: true
		});

		await contacts.acceptProposal(scopeFor(team.captain, team, id));
		const { event } = await events.getEvent(as(team.captain), team.teamId, id);
		expect(event).toMatchObject({
			date: addDays(date, 2),
			startTime: '09:00:00',
			endTime: '11:30:00',
			venueName: '社区服务中心二楼',
			status: 'confirmed'
		});
		await expect(contacts.acceptProposal(scopeFor(team.captain, team, id))).rejects.toMatchObject({
			code: 'contact_error_no_proposal'
		});
	});

	it('while a proposal is open the original cannot be confirmed; withdrawing it is explicit', async () => {
		const team = await makeTeam();
		const date = inDays(14);
		const id = await plannedEvent(team, date);
		const { token } = await makeContact(team, id);
		await expect(contacts.withdrawProposalAsContact(token)).rejects.toMatchObject({
			code: 'contact_error_no_open_proposal'
		});
		await contacts.proposeAsContact(token, {
			date: addDays(date, 1),
			startTime: '09:00',
			endTime: '11:00'
		});
		await expect(contacts.confirmAsContact(token)).rejects.toMatchObject({
			code: 'contact_error_proposal_open'
		});
		expect(await statusOf(team, id)).toBe('planned');
		expect((await contacts.getContactPanel(as(team.captain), team.teamId, id)).state).toBe(
			'change_requested'
		);

		await contacts.withdrawProposalAsContact(token);
		const panel = await contacts.getContactPanel(as(team.captain), team.teamId, id);
		expect(panel.state).toBe('pending');
		expect(await statusOf(team, id)).toBe('planned');
		await expect(contacts.acceptProposal(scopeFor(team.captain, team, id))).rejects.toMatchObject({
			code: 'contact_error_no_proposal'
		});
		const page = await contacts.openContactLink(token);
		if (page.status !== 'valid') throw new Error(page.status);
		expect(page.view.history.map((h) => h.action)).toEqual([
			'change_requested',
			'proposal_withdrawn'
		]);
		// Now the original may be confirmed, for its own date.
		await contacts.confirmAsContact(token);
		const { event } = await events.getEvent(as(team.captain), team.teamId, id);
		expect(event).toMatchObject({ date, status: 'confirmed' });

		// A proposal the team accepts is confirmed with it: nothing is left for the contact to do.
		await contacts.proposeAsContact(token, {
			date: addDays(date, 2),
			startTime: '09:00',
			endTime: '11:00'
		});
		await contacts.acceptProposal(scopeFor(team.captain, team, id));
		expect((await events.getEvent(as(team.captain), team.teamId, id)).event).toMatchObject({
			date: addDays(date, 2),
			status: 'confirmed'
		});
		expect((await contacts.confirmAsContact(token)).changed).toBe(false);
	});

	it('keeps every action with its time, in order, and shows the team’s reply to the contact', async () => {
		const team = await makeTeam();
		const date = inDays(14);
		const id = await plannedEvent(team, date);
		const { token } = await makeContact(team, id);
		await contacts.proposeAsContact(token, {
			date: addDays(date, 1),
			startTime: '08:30',
			endTime: '12:00',
			note: '周六更方便'
		});
		await contacts.replyToContact(scopeFor(team.captain, team, id), {
			note: '周六我们有课，能否仍按原定日期？'
		});
		// Agreeing to the original takes two explicit steps: withdraw the proposal, then confirm.
		await contacts.withdrawProposalAsContact(token);
		await contacts.confirmAsContact(token);
		const panel = await contacts.getContactPanel(as(team.captain), team.teamId, id);
		const history = [...panel.history].reverse();
		expect(history.map((h) => [h.action, h.stateAfter, h.isByContact])).toEqual([
			['recorded', 'pending', false],
			['link_created', 'pending', false],
			['change_requested', 'change_requested', true],
			['team_replied', 'change_requested', false],
			['proposal_withdrawn', 'pending', true],
			['confirmed', 'confirmed', true]
		]);
		for (let i = 1; i < history.length; i++) {
			expect(history[i].at.getTime()).toBeGreaterThanOrEqual(history[i - 1].at.getTime());
		}
		expect(history[0].userName).toMatch(/^User /);
		expect(history[2].userName).toBeNull();
		const page = await contacts.openContactLink(token);
		if (page.status !== 'valid') throw new Error(page.status);
		expect(page.view.history.map((h) => [h.action, h.note])).toEqual([
			['change_requested', '周六更方便'],
			['team_replied', '周六我们有课，能否仍按原定日期？'],
			['proposal_withdrawn', null],
			['confirmed', null]
		]);
	});

	it('can be changed until the event begins, not after', async () => {
		const team = await makeTeam();
		const date = inDays(14);
		const id = await plannedEvent(team, date);
		const { token } = await makeContact(team, id);
		const during = at(date, '08:31');
		await expect(contacts.confirmAsContact(token, { now: during })).rejects.toMatchObject({
			code: 'contact_error_too_late'
		});
		const page = await contacts.openContactLink(token, { now: during });
		expect(page.status === 'valid' && page.view.canAnswer).toBe(false);
		expect(await contacts.confirmAsContact(token, { now: at(date, '08:29') })).toEqual({
			changed: true
		});
	});

	it('warns the team a week before an event the community has not confirmed', async () => {
		const team = await makeTeam();
		const date = inDays(14);
		const id = await plannedEvent(team, date);
		const summary = (now: Date) =>
			contacts.getContactSummary(as(team.captain), team.teamId, id, now);
		expect((await summary(at(addDays(date, -8), '12:00'))).isWarning).toBe(false);
		expect((await summary(at(addDays(date, -7), '12:00'))).isWarning).toBe(true);
		const { token } = await makeContact(team, id);
		expect((await summary(at(addDays(date, -5), '12:00'))).isWarning).toBe(true);
		await contacts.confirmAsContact(token);
		expect((await summary(at(addDays(date, -5), '12:00'))).isWarning).toBe(false);
	});
});

describe('what the link shows', () => {
	it('shows the captain’s name and phone only when that captain chose so', async () => {
		const team = await makeTeam();
		const second = await addMember(team, 'captain');
		const id = await plannedEvent(team);
		const { token } = await makeContact(team, id);
		const captainOf = async () => {
			const page = await contacts.openContactLink(token);
			return page.status === 'valid' ? page.view.captain : 'no page';
		};
		expect(await captainOf()).toBeNull();
		await contacts.saveContact(scopeFor(team.captain, team, id), {
			name: '陈主任',
			phone: '13900001111',
			showCaptain: 'on'
		});
		expect(await captainOf()).toMatchObject({ name: expect.stringMatching(/^User /) });
		// Another captain saving without the box does not take the first one's choice away.
		await contacts.saveContact(scopeFor(second, team, id), {
			name: '陈主任',
			phone: '13900001111'
		});
		expect(await captainOf()).not.toBeNull();
		await contacts.saveContact(scopeFor(team.captain, team, id), {
			name: '陈主任',
			phone: '13900001111'
		});
		expect(await captainOf()).toBeNull();
	});

	it('counts the volunteers and children expected, and lists the plan', async () => {
		const team = await makeTeam();
		await addMember(team);
		await addMember(team);
		const id = await plannedEvent(team);
		const { token } = await makeContact(team, id);
		const page = await contacts.openContactLink(token);
		if (page.status !== 'valid') throw new Error(page.status);
		expect(page.view.expectedVolunteers).toBe(3);
		expect(page.view.agenda.length).toBeGreaterThan(5);
		expect(page.view.needs).toEqual({ room: true, tables: true, electricity: false, staff: false });
	});
});

describe('erasure', () => {
	it('hides the contact’s details after the retention period and sweeps them away', async () => {
		const team = await makeTeam();
		const date = inDays(14);
		const id = await plannedEvent(team, date);
		const { token } = await makeContact(team, id);
		await contacts.proposeAsContact(token, {
			date,
			startTime: '09:00',
			endTime: '12:00',
			note: '请联系我 13900001111'
		});
		const before = at(addDays(date, 90), '23:59');
		const after = at(addDays(date, 91));
		const panel = (now: Date) => contacts.getContactPanel(as(team.captain), team.teamId, id, now);
		expect((await panel(before)).contact?.name).toBe('陈主任');
		// Counts are for the whole database (PostgreSQL shares one per file): look at this event.
		const erasedAt = async () =>
			(await getDb().select().from(eventContacts).where(eq(eventContacts.eventId, id)))[0].erasedAt;
		await contacts.eraseExpiredContacts({ now: before });
		expect(await erasedAt()).toBeNull();

		// Derived: gone at once, even before any sweep.
		const derived = await panel(after);
		expect(derived.isErased).toBe(true);
		expect(derived.contact).toMatchObject({ name: null, phone: null, email: null });
		expect(derived.history.every((h) => h.note === null)).toBe(true);

		expect(await contacts.eraseExpiredContacts({ now: after })).toBeGreaterThanOrEqual(1);
		const [row] = await getDb().select().from(eventContacts).where(eq(eventContacts.eventId, id));
		expect(row).toMatchObject({ name: null, organization: null, phone: null, email: null });
		expect(row.erasedAt).toBeInstanceOf(Date);
		const notes = rowsOf<{ n: number }>(
			await getDb().execute(
				sql`select count(*)::int as n from contact_history where event_id = ${id} and note is not null`
			)
		);
		expect(Number(notes[0].n)).toBe(0);
		expect(await contacts.eraseExpiredContacts({ now: after })).toBe(0);
		expect((await contacts.openContactLink(token, { now: after })).status).not.toBe('valid');
	});

	it('follows the retention setting', async () => {
		const team = await makeTeam();
		const date = inDays(14);
		const id = await plannedEvent(team, date);
		await makeContact(team, id);
		await contacts.eraseExpiredContacts({ now: at(addDays(date, 10), '23:59'), retentionDays: 10 });
		const [kept] = await getDb().select().from(eventContacts).where(eq(eventContacts.eventId, id));
		expect(kept.name).toBe('陈主任');
		expect(
			await contacts.eraseExpiredContacts({ now: at(addDays(date, 11)), retentionDays: 10 })
		).toBeGreaterThanOrEqual(1);
		const [row] = await getDb().select().from(eventContacts).where(eq(eventContacts.eventId, id));
		expect(row).toMatchObject({ name: null, phone: null });
	});
});

describe.runIf(isPostgres)('at the same instant', () => {
	it('takes one confirmation and keeps one live link, however many arrive together', async () => {
		const team = await makeTeam();
		const id = await plannedEvent(team);
		const { token } = await makeContact(team, id);
		const results = await Promise.all(
			Array.from({ length: 8 }, () => contacts.confirmAsContact(token))
		);
		expect(results.filter((r) => r.changed)).toHaveLength(1);
		const panel = await contacts.getContactPanel(as(team.captain), team.teamId, id);
		expect(panel.history.filter((h) => h.action === 'confirmed')).toHaveLength(1);
		expect(await statusOf(team, id)).toBe('confirmed');

		const links = await Promise.all(
			Array.from({ length: 6 }, () => contacts.createContactLink(scopeFor(team.captain, team, id)))
		);
		const valid = await Promise.all(links.map((l) => contacts.openContactLink(l.token)));
		expect(valid.filter((p) => p.status === 'valid')).toHaveLength(1);
		const live = await getDb()
			.select()
			.from(contactLinks)
			.where(sql`${contactLinks.eventId} = ${id} and ${contactLinks.revokedAt} is null`);
		expect(live).toHaveLength(1);
	});
});
