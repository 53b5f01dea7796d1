import { describe, expect, it } from 'vitest';
import * as funding from '../../src/lib/server/funding';
import { Conflict, Forbidden, Invalid, NotFound } from '../../src/lib/server/errors';
import { formatFen, fenToYuan, parseYuan } from '../../src/lib/money';
import { useTestDatabase } from './helpers';
import { addMember, makeTeam } from '../factories/teams';
import { makeEvent } from '../factories/events';
import { makeEntry } from '../factories/donations';

useTestDatabase();
import { as, scopeFor } from './values';

async function setup() {
	const team = await makeTeam();
	const leader = await addMember(team, 'leader');
	const volunteer = await addMember(team);
	const outsider = (await makeTeam()).captain;
	const { id: eventId } = await makeEvent(team, { status: 'planned' });
	return { team, leader, volunteer, outsider, eventId };
}

describe('money in integer fen', () => {
	it('parses yuan exactly and formats CNY in both languages', () => {
		expect(parseYuan('12')).toBe(1200);
		expect(parseYuan('0.1')).toBe(10);
		expect(parseYuan(' ¥1,234.56 ')).toBe(123456);
		expect(parseYuan('￥0.07')).toBe(7);
		for (const bad of ['', '-5', '1.234', 'abc', '1e3', '12.']) expect(parseYuan(bad)).toBeNull();
		// 0.1 + 0.2 in yuan would be 0.30000000000000004; in fen it is 30.
		expect(parseYuan('0.1')! + parseYuan('0.2')!).toBe(30);
		expect(fenToYuan(-1205)).toBe('-12.05');
		expect(formatFen(123456, 'zh-CN')).toBe('¥1,234.56');
		expect(formatFen(123456, 'en')).toBe('CN¥1,234.56');
		expect(formatFen(-5, 'en')).toBe('-CN¥0.05');
		expect(formatFen(999_999_999_99, 'zh-CN')).toBe('¥999,999,999.99');
	});
});

describe('ledger', () => {
	it('captains record income and expenses; the balance is exact; members see totals only', async () => {
		const { team, leader, volunteer, outsider, eventId } = await setup();
		await makeEntry(team, eventId, { amount: '0.10' });
		await makeEntry(team, eventId, { amount: '0.20', category: 'volunteer_fundraising' });
		await makeEntry(team, eventId, {
			kind: 'expense:printing',
			direction: undefined,
			category: undefined,
			amount: '¥0.25',
			note: '海报',
			receiptRef: 'FP-001'
		});
		await makeEntry(team, eventId, { direction: 'expense', category: 'gifts', amount: '1,000' });
		const page = await funding.getFunding(as(team.captain), team.teamId, eventId);
		expect(page.totals).toMatchObject({ incomeFen: 30, expenseFen: 100025, balanceFen: -99995 });
		expect(page.entries).toHaveLength(4);
		expect(page.entries?.find((e) => e.category === 'printing')).toMatchObject({
			direction: 'expense',
			amountFen: 25,
			note: '海报',
			receiptRef: 'FP-001'
		});
		const byVolunteer = await funding.getFunding(as(volunteer), team.teamId, eventId);
		expect(byVolunteer.entries).toBeNull();
		expect(byVolunteer.totals).toEqual(page.totals);
		expect(byVolunteer.totals.lines.find((l) => l.category === 'printing')?.actualFen).toBe(25);
		const input = { direction: 'income', category: 'other', amount: '1', occurredOn: '2030-01-01' };
		await expect(funding.addEntry(scopeFor(leader, team, eventId), input)).rejects.toBeInstanceOf(
			Forbidden
		);
		await expect(funding.addEntry(scopeFor(outsider, team, eventId), input)).rejects.toBeInstanceOf(
			NotFound
		);
		await expect(funding.getFunding(as(outsider), team.teamId, eventId)).rejects.toBeInstanceOf(
			NotFound
		);
	});

	it('refuses amounts that are not positive fen and categories of the other direction', async () => {
		const { team, eventId } = await setup();
		for (const amount of ['0', '-1', '1.005', 'ten', '10000000.01']) {
			await expect(makeEntry(team, eventId, { amount })).rejects.toMatchObject({
				fields: { amount: ['funding_error_amount_invalid'] }
			});
		}
		await expect(
			makeEntry(team, eventId, { direction: 'income', category: 'printing' })
		).rejects.toMatchObject({ fields: { category: ['funding_error_category_invalid'] } });
		await expect(makeEntry(team, eventId, { kind: 'loan:other' })).rejects.toBeInstanceOf(Invalid);
		await expect(makeEntry(team, eventId, { occurredOn: '2030-02-30' })).rejects.toBeInstanceOf(
			Invalid
		);
		await expect(makeEntry(team, eventId, { note: 'x'.repeat(201) })).rejects.toBeInstanceOf(
			Invalid
		);
	});

	it('deletes an entry of its own event only, by captains only', async () => {
		const { team, leader, outsider, eventId } = await setup();
		const e = await makeEntry(team, eventId);
		const other = await makeEvent(team);
		await expect(
			funding.deleteEntry(scopeFor(team.captain, team, other.id), e.id)
		).rejects.toBeInstanceOf(NotFound);
		await expect(funding.deleteEntry(scopeFor(leader, team, eventId), e.id)).rejects.toBeInstanceOf(
			Forbidden
		);
		await expect(
			funding.deleteEntry(scopeFor(outsider, team, eventId), e.id)
		).rejects.toBeInstanceOf(NotFound);
		await expect(
			funding.deleteEntry(scopeFor(team.captain, team, eventId), 'x')
		).rejects.toBeInstanceOf(Invalid);
		await funding.deleteEntry(scopeFor(team.captain, team, eventId), e.id);
		expect((await funding.getFunding(as(team.captain), team.teamId, eventId)).entries).toEqual([]);
	});

	it('keeps the books after the day', async () => {
		const team = await makeTeam();
		const { id } = await makeEvent(team, { status: 'completed' });
		await makeEntry(team, id, { direction: 'expense', category: 'transport', amount: '80' });
		expect((await funding.getFunding(as(team.captain), team.teamId, id)).totals.expenseFen).toBe(
			8000
		);
	});
});

describe('budgets', () => {
	it('a budget per category, compared with what was spent; empty removes it', async () => {
		const { team, volunteer, outsider, eventId } = await setup();
		const budget = (category: string, amount: string, direction = 'expense') =>
			funding.setBudget(scopeFor(team.captain, team, eventId), { direction, category, amount });
		await budget('gifts', '300');
		await budget('gifts', '350.50');
		await budget('college_sponsorship', '1000', 'income');
		await makeEntry(team, eventId, { direction: 'expense', category: 'gifts', amount: '400' });
		const lines = (await funding.getFunding(as(volunteer), team.teamId, eventId)).totals.lines;
		expect(lines.find((l) => l.category === 'gifts')).toEqual({
			direction: 'expense',
			category: 'gifts',
			actualFen: 40000,
			budgetFen: 35050
		});
		expect(lines.filter((l) => l.direction === 'income').map((l) => l.category)).toEqual([
			'college_sponsorship',
			'company_sponsorship',
			'volunteer_fundraising',
			'other'
		]);
		await budget('gifts', '');
		const after = (await funding.getFunding(as(volunteer), team.teamId, eventId)).totals.lines;
		expect(after.find((l) => l.category === 'gifts')?.budgetFen).toBeNull();
		await expect(budget('food', '-3')).rejects.toBeInstanceOf(Invalid);
		await expect(budget('printing', '5', 'income')).rejects.toBeInstanceOf(Invalid);
		await expect(
			funding.setBudget(scopeFor(volunteer, team, eventId), {
				direction: 'expense',
				category: 'food',
				amount: '1'
			})
		).rejects.toBeInstanceOf(Forbidden);
		await expect(
			funding.setBudget(scopeFor(outsider, team, eventId), {
				direction: 'expense',
				category: 'food',
				amount: '1'
			})
		).rejects.toBeInstanceOf(NotFound);
	});
});

describe('sponsors', () => {
	it('captains add, edit and remove sponsors with a thank-you line; the team sees them', async () => {
		const { team, leader, volunteer, outsider, eventId } = await setup();
		const s = await funding.addSponsor(scopeFor(team.captain, team, eventId), {
			name: '阳光文具公司',
			thanks: '感谢捐赠 200 支铅笔'
		});
		await expect(
			funding.addSponsor(scopeFor(team.captain, team, eventId), {
				name: '阳光文具公司',
				thanks: 'x'
			})
		).rejects.toBeInstanceOf(Conflict);
		await expect(
			funding.addSponsor(scopeFor(team.captain, team, eventId), { name: '', thanks: 'x' })
		).rejects.toMatchObject({ fields: { name: ['sponsors_error_name_required'] } });
		await funding.updateSponsor(scopeFor(team.captain, team, eventId), s.id, {
			name: '阳光文具',
			thanks: '感谢支持'
		});
		expect((await funding.getFunding(as(volunteer), team.teamId, eventId)).sponsors).toEqual([
			{ id: s.id, name: '阳光文具', thanks: '感谢支持' }
		]);
		await expect(
			funding.addSponsor(scopeFor(leader, team, eventId), { name: 'a', thanks: 'b' })
		).rejects.toBeInstanceOf(Forbidden);
		await expect(
			funding.updateSponsor(scopeFor(outsider, team, eventId), s.id, {
				name: 'a',
				thanks: 'b'
			})
		).rejects.toBeInstanceOf(NotFound);
		await expect(
			funding.deleteSponsor(scopeFor(volunteer, team, eventId), s.id)
		).rejects.toBeInstanceOf(Forbidden);
		await expect(
			funding.deleteSponsor(scopeFor(team.captain, team, eventId), crypto.randomUUID())
		).rejects.toBeInstanceOf(NotFound);
		await funding.deleteSponsor(scopeFor(team.captain, team, eventId), s.id);
		expect((await funding.getFunding(as(volunteer), team.teamId, eventId)).sponsors).toEqual([]);
	});
});
