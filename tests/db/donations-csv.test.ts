import { describe, expect, it } from 'vitest';
import * as donations from '../../src/lib/server/donations';
import * as funding from '../../src/lib/server/funding';
import { Forbidden, NotFound } from '../../src/lib/server/errors';
import { useTestDatabase } from './helpers';
import { addMember, makeTeam } from '../factories/teams';
import { makeEvent } from '../factories/events';
import { makeGroup } from '../factories/groups';
import { makeDonation, makeEntry } from '../factories/donations';
import { parseCsv } from '../support/csv';

useTestDatabase();
const as = (user: { id: string }) => ({ userId: user.id });

/** The bytes a download would carry, decoded as UTF-8 after checking the BOM. */
function decode(body: string): string {
	const bytes = Buffer.from(body, 'utf8');
	expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
	return new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(3));
}

describe('CSV exports', () => {
	it('donations: UTF-8 with BOM, Chinese text and awkward cells survive a round trip', async () => {
		const team = await makeTeam();
		const leader = await addMember(team, 'leader');
		const volunteer = await addMember(team);
		const { id: eventId } = await makeEvent(team, { status: 'planned', date: '2030-07-12' });
		const g = await makeGroup(team, eventId, { name: '一组', leaderId: leader.id });
		const a = await makeDonation(team, eventId, {
			category: 'exercise_books',
			description: '练习本, "田字格"\n带拼音',
			quantity: 50,
			receivedNow: true
		});
		await donations.distributeDonation(
			{ actor: as(leader), teamId: team.teamId, eventId },
			a.id,
			20,
			g.id
		);
		await makeDonation(team, eventId, {
			category: 'other',
			description: '=HYPERLINK("http://x")',
			donorName: '',
			donorKind: 'community',
			quantity: 3
		});
		const zh = await donations.donationsCsv(as(volunteer), team.teamId, eventId, 'zh-CN');
		expect(zh.filename).toBe('捐赠-2030-07-12.csv');
		expect(zh.body.endsWith('\r\n')).toBe(true);
		const rows = parseCsv(decode(zh.body));
		expect(rows[0]).toEqual([
			'类别',
			'物品',
			'单位',
			'捐赠人',
			'捐赠方类型',
			'认捐',
			'已收到',
			'已发放',
			'保管人',
			'认捐志愿者',
			'小组分配'
		]);
		expect(rows).toHaveLength(3);
		expect(rows[1]).toEqual([
			'练习本',
			'练习本, "田字格"\n带拼音',
			'本',
			'信息学院',
			'学院',
			'50',
			'50',
			'20',
			expect.any(String),
			'',
			'一组：分配 0，已发放 20'
		]);
		// A formula is defused: the spreadsheet shows it as text.
		expect(rows[2].slice(0, 5)).toEqual([
			'其他物品',
			`'=HYPERLINK("http://x")`,
			'本',
			'匿名',
			'社区'
		]);
		const en = parseCsv(
			decode((await donations.donationsCsv(as(volunteer), team.teamId, eventId, 'en')).body)
		);
		expect(en[0][0]).toBe('Category');
		expect(en[1][0]).toBe('Exercise books');
		const outsider = (await makeTeam()).captain;
		await expect(
			donations.donationsCsv(as(outsider), team.teamId, eventId, 'zh-CN')
		).rejects.toBeInstanceOf(NotFound);
	});

	it('ledger: exact yuan amounts, captains only', async () => {
		const team = await makeTeam();
		const volunteer = await addMember(team);
		const { id: eventId } = await makeEvent(team, { status: 'planned', date: '2030-07-12' });
		await makeEntry(team, eventId, { amount: '1,500', occurredOn: '2030-07-01' });
		await makeEntry(team, eventId, {
			direction: 'expense',
			category: 'printing',
			amount: '35.5',
			occurredOn: '2030-07-02',
			note: '海报，横幅',
			receiptRef: 'No.0012'
		});
		const csv = await funding.ledgerCsv(as(team.captain), team.teamId, eventId, 'zh-CN');
		expect(csv.filename).toBe('经费-2030-07-12.csv');
		const rows = parseCsv(decode(csv.body));
		expect(rows).toEqual([
			['日期', '收支', '类别', '金额（元）', '备注', '票据编号', '记录人'],
			['2030-07-01', '收入', '学院资助', '1500.00', '', '', expect.any(String)],
			['2030-07-02', '支出', '印刷', '35.50', '海报，横幅', 'No.0012', expect.any(String)]
		]);
		// Summing the parsed cells in fen gives back the balance.
		const fen = rows
			.slice(1)
			.reduce((total, r) => total + (r[1] === '收入' ? 1 : -1) * Math.round(Number(r[3]) * 100), 0);
		const { totals } = await funding.getFunding(as(team.captain), team.teamId, eventId);
		expect(fen).toBe(totals.balanceFen);
		await expect(
			funding.ledgerCsv(as(volunteer), team.teamId, eventId, 'zh-CN')
		).rejects.toBeInstanceOf(Forbidden);
	});
});
