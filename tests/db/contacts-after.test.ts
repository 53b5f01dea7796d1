// After the day, the contact's link shows what it amounted to: counts only, never a name.
import { describe, expect, it } from 'vitest';
import * as attendance from '../../src/lib/server/attendance';
import * as contacts from '../../src/lib/server/contacts';
import * as donations from '../../src/lib/server/donations';
import { zonedTime } from '../../src/lib/time';
import { scopeFor } from './values';
import { useTestDatabase } from './helpers';
import { addMember, makeTeam } from '../factories/teams';
import { inDays, makeEvent } from '../factories/events';
import { makeContact } from '../factories/contacts';
import { makeDonation } from '../factories/donations';

useTestDatabase();

describe('the contact link after the event', () => {
	it('shows volunteers, hours and books and gifts handed out once the day is over', async () => {
		const team = await makeTeam();
		const date = inDays(1);
		const event = await makeEvent(team, { date, status: 'planned' });
		const { token } = await makeContact(team, event.id);
		const a = await addMember(team);
		const b = await addMember(team);
		const asCaptain = scopeFor(team.captain, team, event.id);
		const at = (time: string) => zonedTime(date, time, 'Asia/Shanghai');
		await attendance.checkInByHand(asCaptain, a.id, 'day', at('08:30'));
		await attendance.checkInByHand(asCaptain, b.id, 'day', at('09:30'));
		const books = await makeDonation(team, event.id, {
			category: 'books',
			quantity: 30,
			receivedNow: true
		});
		const gifts = await makeDonation(team, event.id, {
			category: 'small_gifts',
			quantity: 20,
			receivedNow: true
		});
		await donations.distributeDonation(asCaptain, books.id, 25, null);
		await donations.distributeDonation(asCaptain, gifts.id, 18, null);

		const during = await contacts.openContactLink(token, { now: at('10:00') });
		expect(during.status === 'valid' && during.view.afterEvent).toBeNull();

		const after = await contacts.openContactLink(token, { now: at('13:00') });
		expect(after.status).toBe('valid');
		// 08:30–12:30 and 09:30–12:30 without check-out: the event's end stands in.
		expect(after.status === 'valid' && after.view.afterEvent).toEqual({
			volunteers: 2,
			minutes: 420,
			books: 25,
			gifts: 18
		});
		expect(JSON.stringify(after)).not.toContain(a.email);
	});
});
