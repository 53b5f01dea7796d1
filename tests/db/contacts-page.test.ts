// The contact's page as the server renders it: what is in the HTML, its headers, wrong tokens,
// and the error log (which must never hold a token).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { render } from 'svelte/server';
import * as contacts from '../../src/lib/server/contacts';
import * as events from '../../src/lib/server/events';
import * as groups from '../../src/lib/server/groups';
import * as teams from '../../src/lib/server/teams';
import { load } from '../../src/routes/(public)/c/[token]/+page.server';
import ContactPage from '../../src/routes/(public)/c/[token]/+page.svelte';
import { handleError } from '../../src/hooks.server';
import { useTestDatabase } from './helpers';
import { makeTeam, type TeamFixture } from '../factories/teams';
import { makeUser } from '../factories/users';
import { makeContact } from '../factories/contacts';
import { inDays } from '../factories/events';

useTestDatabase();
afterEach(() => vi.restoreAllMocks());

type LoadEvent = Parameters<typeof load>[0];
type Data = Exclude<Awaited<ReturnType<typeof load>>, void>;

async function member(team: TeamFixture, role: 'leader' | 'volunteer' | 'captain', name: string) {
	const user = await makeUser({
		displayName: name,
		phone: `1370000${name.length}${role.length}99`
	});
	const invite = await teams.createInvite({ userId: team.captain.id }, team.teamId, {
		role,
		maxUses: 1
	});
	await teams.acceptInvite({ userId: user.id }, invite.token);
	return user;
}

async function open(token: string, ip = '192.0.2.10') {
	const headers: Record<string, string> = {};
	const event = {
		params: { token },
		request: new Request(`http://localhost/c/${token}`),
		getClientAddress: () => ip,
		setHeaders: (h: Record<string, string>) => Object.assign(headers, h)
	} as unknown as LoadEvent;
	const data = (await load(event)) as Data;
	return { data, headers };
}

function html(data: Data): string {
	const props = { data: { ...data, locale: 'zh-CN' as const, user: null }, form: null };
	return render(ContactPage, { props } as never).body;
}

describe('the contact page', () => {
	it('shows the plan and nobody but the captain who chose to be shown', async () => {
		const captain = await makeUser({ displayName: '林晓队长', phone: '13811112222' });
		const { id: teamId } = await teams.createTeam(
			{ userId: captain.id },
			{ name: '信息学院服务队' }
		);
		const team: TeamFixture = {
			teamId,
			captain: { id: captain.id, userId: captain.id, email: captain.email }
		};
		const other = await member(team, 'captain', '赵副队长');
		const leader = await member(team, 'leader', '王磊组长');
		const volunteer = await member(team, 'volunteer', '张伟同学');
		const { id: eventId } = await events.createEvent(
			{ userId: captain.id },
			teamId,
			{
				title: '走进社区，关爱留守儿童',
				date: inDays(14),
				startTime: '08:30',
				endTime: '12:30',
				venueName: '幸福社区活动室',
				teacherName: '李老师',
				teacherPhone: '13700009999'
			},
			{ locale: 'zh-CN' }
		);
		await events.changeStatus({ userId: captain.id }, teamId, eventId, 'planned');
		const group = await groups.createGroup({ userId: captain.id }, teamId, eventId, {
			name: '第一组',
			colour: '#1d4ed8',
			leaderId: leader.id,
			childrenCount: 8
		});
		await groups.addGroupMember({ userId: captain.id }, teamId, eventId, group.id, volunteer.id);
		const { token } = await makeContact(team, eventId);

		const { data, headers } = await open(token);
		expect(headers).toMatchObject({
			'cache-control': 'no-store',
			'referrer-policy': 'same-origin'
		});
		const page = html(data);
		expect(page).toContain('信息学院服务队');
		expect(page).toContain('走进社区，关爱留守儿童');
		expect(page).toContain('幸福社区活动室');
		expect(page).toContain('节目表演');
		expect(page).toContain('确认日期和场地');
		expect(page).toContain('个人信息保护法');
		const people = [captain, other, leader, volunteer];
		for (const person of people) {
			expect(page).not.toContain(person.displayName);
			expect(page).not.toContain(person.email);
			expect(page).not.toContain(person.phone);
		}
		expect(page).not.toContain('李老师');
		expect(page).not.toContain('13700009999');

		await contacts.saveContact({ userId: captain.id }, teamId, eventId, {
			name: '陈主任',
			phone: '13900001111',
			showCaptain: 'on'
		});
		const shown = html((await open(token)).data);
		expect(shown).toContain('林晓队长');
		expect(shown).toContain('href="tel:13811112222"');
		expect(shown).not.toContain(captain.email);
		for (const person of [other, leader, volunteer]) {
			expect(shown).not.toContain(person.displayName);
			expect(shown).not.toContain(person.email);
			expect(shown).not.toContain(person.phone);
		}
	});

	it('says clearly when a link is revoked, unknown or the address is limited', async () => {
		const team = await makeTeam();
		const { id: eventId } = await events.createEvent({ userId: team.captain.id }, team.teamId, {
			title: '服务日',
			date: inDays(10),
			startTime: '09:00',
			endTime: '11:00',
			useTemplate: false
		});
		const { token } = await makeContact(team, eventId);
		await contacts.revokeContactLink({ userId: team.captain.id }, team.teamId, eventId);
		const revoked = await open(token);
		expect(revoked.data.page).toEqual({ status: 'revoked' });
		expect(html(revoked.data)).toContain('此链接已被服务队停用');

		for (let i = 0; i < 30; i++) {
			const guess = await open(`${'q'.repeat(31)}${i % 8}`, '198.51.100.7');
			expect(guess.data.page).toEqual({ status: 'unknown' });
		}
		const limited = await open(token, '198.51.100.7');
		expect(limited.data.page).toMatchObject({ status: 'limited' });
		expect(limited.headers['retry-after']).toMatch(/^\d+$/);
		expect(html(limited.data)).toContain('尝试次数过多');
	});
});

describe('the error log', () => {
	it('never holds a link’s token', async () => {
		const logged: string[] = [];
		vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
			logged.push(args.map(String).join(' '));
		});
		const token = 'abcdefghijklmnopqrstuvwxyz234567';
		const error = new Error(`failed while reading /c/${token}`, {
			cause: new Error(`inner /c/${token}/calendar.ics`)
		});
		const result = await handleError({
			error,
			status: 500,
			message: 'Internal Error',
			event: {
				locals: { requestId: 'req-1', locale: 'zh-CN' },
				request: new Request(`http://localhost/c/${token}`, { method: 'POST' }),
				url: new URL(`http://localhost/c/${token}`)
			}
		} as never);
		expect(result).toMatchObject({ id: 'req-1' });
		expect(logged.join('\n')).toContain('/c/[token]');
		expect(logged.join('\n')).not.toContain(token);
	});
});
