// The contact's page as the server renders it: what is in the HTML, its headers, wrong tokens,
// and the error log (which must never hold a token).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isHttpError, isRedirect } from '@sveltejs/kit';
import { render } from 'svelte/server';
import * as contacts from '../../src/lib/server/contacts';
import * as events from '../../src/lib/server/events';
import * as groups from '../../src/lib/server/groups';
import * as teams from '../../src/lib/server/teams';
import { actions, load } from '../../src/routes/(public)/c/[token]/+page.server';
import ContactPage from '../../src/routes/(public)/c/[token]/+page.svelte';
import { handleError } from '../../src/hooks.server';
import { useTestDatabase } from './helpers';
import { makeTeam, type TeamFixture } from '../factories/teams';
import { makeUser } from '../factories/users';
import { makeContact } from '../factories/contacts';
import { inDays, makeEvent } from '../factories/events';

useTestDatabase();

/** A draft morning ten days away. */
const SHORT_DAY = { title: '服务日', date: inDays(10), startTime: '09:00', endTime: '11:00' };
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

type Jar = ReturnType<typeof cookieJar>;

/** The browser's cookies for one page, as SvelteKit's `cookies` sees them. */
function cookieJar() {
	const values = new Map<string, { value: string; options: Record<string, unknown> }>();
	return {
		values,
		get: (name: string) => values.get(name)?.value,
		set: (name: string, value: string, options: Record<string, unknown>) =>
			void values.set(name, { value, options }),
		delete: (name: string) => void values.delete(name)
	};
}

function requestEvent(token: string, ip: string, jar: Jar, request?: Request) {
	const headers: Record<string, string> = {};
	const url = new URL(request?.url ?? `http://localhost/c/${token}`);
	const event = {
		params: { token },
		url,
		request: request ?? new Request(url),
		cookies: jar,
		getClientAddress: () => ip,
		setHeaders: (h: Record<string, string>) => Object.assign(headers, h)
	};
	return { event, headers };
}

async function open(token: string, ip = '192.0.2.10', jar = cookieJar()) {
	const { event, headers } = requestEvent(token, ip, jar);
	const data = (await load(event as unknown as LoadEvent)) as Data;
	return { data, headers };
}

/** A form posted without JavaScript: the action's answer, or the redirect it throws. */
async function post(
	token: string,
	name: 'confirm' | 'propose',
	body: Record<string, string>,
	jar: Jar,
	ip = '192.0.2.20'
) {
	const request = new Request(`http://localhost/c/${token}?/${name}`, {
		method: 'POST',
		body: new URLSearchParams(body)
	});
	const { event } = requestEvent(token, ip, jar, request);
	try {
		return { result: await actions[name](event as never), redirect: null };
	} catch (err) {
		if (isRedirect(err)) return { result: null, redirect: err };
		throw err;
	}
}

function html(data: Data, form: unknown = null): string {
	const props = { data: { ...data, locale: 'zh-CN' as const, user: null }, form };
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
		await events.changeStatus({ actor: { userId: captain.id }, teamId, eventId }, 'planned');
		const group = await groups.createGroup(
			{ actor: { userId: captain.id }, teamId, eventId },
			{
				name: '第一组',
				colour: '#1d4ed8',
				leaderId: leader.id,
				childrenCount: 8
			}
		);
		await groups.addGroupMember(
			{ actor: { userId: captain.id }, teamId, eventId },
			group.id,
			volunteer.id
		);
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

		await contacts.saveContact(
			{ actor: { userId: captain.id }, teamId, eventId },
			{
				name: '陈主任',
				phone: '13900001111',
				showCaptain: 'on'
			}
		);
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

	it('says clearly when a link is revoked (410), unknown (404) or the address is limited', async () => {
		const team = await makeTeam();
		const { id: eventId } = await makeEvent(team, SHORT_DAY);
		const { token } = await makeContact(team, eventId);
		await contacts.revokeContactLink({
			actor: { userId: team.captain.id },
			teamId: team.teamId,
			eventId
		});
		// Dead links answer 410 (revoked) and 404 (unknown), their message on the error page.
		const revoked = await open(token).catch((err: unknown) => err);
		expect(isHttpError(revoked, 410) && revoked.body.message).toContain('此链接已被服务队停用');

		for (let i = 0; i < 30; i++) {
			const guess = await open(`${'q'.repeat(31)}${i % 8}`, '198.51.100.7').catch((e) => e);
			expect(isHttpError(guess, 404) && guess.body.message).toContain('链接无效');
		}
		const limited = await open(token, '198.51.100.7');
		expect(limited.data.page).toMatchObject({ status: 'limited' });
		expect(limited.headers['retry-after']).toMatch(/^\d+$/);
		expect(html(limited.data)).toContain('尝试次数过多');
	});
});

describe('answers without JavaScript (the page is server-rendered only)', () => {
	it('redirect after a taken answer, say "sent" once, and show a refused one again as typed', async () => {
		const team = await makeTeam();
		const { id: eventId } = await makeEvent(team, SHORT_DAY);
		const { token } = await makeContact(team, eventId);
		const jar = cookieJar();

		// Taken: post/redirect/get, so a reload never offers to send the form again.
		const confirmed = await post(token, 'confirm', {}, jar);
		expect(confirmed.redirect).toMatchObject({ status: 303, location: `/c/${token}#answer` });
		expect(jar.values.get('contact_answered')).toMatchObject({
			value: 'confirmed',
			options: { path: `/c/${token}`, httpOnly: true, maxAge: 60 }
		});
		const after = await open(token, undefined, jar);
		expect(after.data.answered).toBe('confirmed');
		const shown = html(after.data);
		expect(shown).toContain('谢谢！您的确认已发送给服务队。');
		expect(shown).toContain('您已确认。');
		expect(shown).toContain('id="answer"');
		const reloaded = await open(token, undefined, jar);
		expect(reloaded.data.answered).toBeNull();
		expect(html(reloaded.data)).not.toContain('谢谢！您的确认已发送给服务队。');
		expect(html(reloaded.data)).toContain('您已确认。');

		// Refused: no redirect; the page shows again with the proposal open and as typed.
		const typed = {
			date: inDays(11),
			startTime: '10:00',
			endTime: '09:00',
			venue: '社区服务中心',
			note: '请带上延长线'
		};
		const refused = await post(token, 'propose', typed, jar);
		expect(refused.redirect).toBeNull();
		expect(refused.result).toMatchObject({ status: 400, data: { values: typed } });
		expect(jar.values.has('contact_answered')).toBe(false);
		const again = html((await open(token, undefined, jar)).data, refused.result?.data);
		expect(again).toMatch(/<details[^>]* open/);
		expect(again).toContain('请带上延长线');
		expect(again).toContain('value="社区服务中心"');

		const proposed = await post(token, 'propose', { ...typed, endTime: '12:00' }, jar);
		expect(proposed.redirect).toMatchObject({ status: 303 });
		expect(jar.values.get('contact_answered')?.value).toBe('proposed');
		const sent = html((await open(token, undefined, jar)).data);
		expect(sent).toContain('您的建议已发送给服务队。');
		expect(sent).not.toMatch(/<details[^>]* open/);
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
