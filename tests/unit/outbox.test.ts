// The outbox's logic as the browser runs it (the IndexedDB storage aside: the offline journey,
// tests/e2e/offline.spec.ts, runs that in Chromium): order, what each answer means, what is
// kept on the phone after sending, whose items are sent, and the service worker's rules.
import { describe, expect, it } from 'vitest';
import { parse } from 'devalue';
import {
	KEEP_DONE_MS,
	MemoryStorage,
	Outbox,
	type OutboxItem,
	type SendOutcome
} from '../../src/lib/outbox/outbox';
import { bodyOf, isNetworkFailure, outcomeOf } from '../../src/lib/outbox/send';
import {
	keptPageKey,
	keptPageTimeZone,
	linkPageOf,
	OFFLINE_ANSWER,
	skipAllNodes
} from '../../src/lib/pwa/offline-rules';
import { withOfflineAnswer } from '../../src/lib/pwa/offline-answer';
import { readCheckInLink } from '../../src/lib/check-in-link';

const EVENT = '00000000-0000-4000-8000-00000000000e';
const ME = 'user-me';

function item(key: string, savedAt: number, over: Partial<OutboxItem> = {}) {
	return {
		key,
		userId: ME,
		eventId: EVENT,
		kind: 'incident' as const,
		label: {},
		action: `/teams/t/events/${EVENT}/incidents?/report`,
		fields: { description: `text ${key}` },
		savedAt,
		...over
	};
}

/** A sender that answers from a script, and records what it was given. */
function scripted(answers: SendOutcome[]) {
	const sent: { key: string; waitedMs: number; fields: Record<string, string> | null }[] = [];
	const send = async (i: OutboxItem, waitedMs: number) => {
		sent.push({ key: i.key, waitedMs, fields: i.fields });
		return answers.shift() ?? { type: 'retry', why: 'offline' };
	};
	return { sent, send };
}

describe('outbox', () => {
	it('sends oldest first with the wait on the phone, and forgets the text once sent', async () => {
		let now = 10_000;
		const storage = new MemoryStorage();
		const { sent, send } = scripted([{ type: 'sent' }, { type: 'sent' }]);
		const outbox = new Outbox(storage, send, () => now);
		await outbox.add(item('b', 2_000));
		await outbox.add(item('a', 1_000));
		now = 61_000;
		expect(await outbox.flush(ME)).toBeNull();
		expect(sent.map((s) => [s.key, s.waitedMs])).toEqual([
			['a', 60_000],
			['b', 59_000]
		]);
		const items = await outbox.items();
		expect(items.map((i) => [i.key, i.status, i.fields])).toEqual([
			['a', 'sent', null],
			['b', 'sent', null]
		]);
	});

	it('stops at the first item that cannot go, so nothing overtakes it', async () => {
		const { sent, send } = scripted([{ type: 'retry', why: 'offline' }]);
		const outbox = new Outbox(new MemoryStorage(), send, () => 5_000);
		await outbox.add(item('check-in', 1_000, { kind: 'check_in' }));
		await outbox.add(item('check-out', 2_000, { kind: 'check_out' }));
		expect(await outbox.flush(ME)).toEqual({ type: 'retry', why: 'offline' });
		expect(sent.map((s) => s.key)).toEqual(['check-in']);
		expect((await outbox.items()).every((i) => i.status === 'waiting')).toBe(true);
	});

	it('a refusal keeps what was typed and the reason; the next item still goes', async () => {
		const { send } = scripted([{ type: 'refused', reason: '签到码不正确' }, { type: 'sent' }]);
		const outbox = new Outbox(new MemoryStorage(), send, () => 5_000);
		await outbox.add(item('forged', 1_000, { fields: { code: '000000' } }));
		await outbox.add(item('report', 2_000));
		await outbox.flush(ME);
		const [forged, report] = await outbox.items();
		expect(forged).toMatchObject({
			status: 'refused',
			reason: '签到码不正确',
			fields: { code: '000000' }
		});
		expect(report.status).toBe('sent');
	});

	it("never sends another person's items, and lets finished ones go after a while", async () => {
		let now = 5_000;
		const { sent, send } = scripted([{ type: 'sent' }]);
		const outbox = new Outbox(new MemoryStorage(), send, () => now);
		await outbox.add(item('theirs', 1_000, { userId: 'someone-else' }));
		await outbox.add(item('mine', 2_000));
		await outbox.flush(ME);
		expect(sent.map((s) => s.key)).toEqual(['mine']);
		now += KEEP_DONE_MS + 1;
		await outbox.flush(ME);
		expect((await outbox.items()).map((i) => i.key)).toEqual(['theirs']);
	});

	it('one flush at a time in a page: a second call joins the first', async () => {
		let release: () => void = () => undefined;
		let calls = 0;
		const outbox = new Outbox(
			new MemoryStorage(),
			async () => {
				calls += 1;
				await new Promise<void>((resolve) => (release = resolve));
				return { type: 'sent' };
			},
			() => 5_000
		);
		await outbox.add(item('a', 1_000));
		const first = outbox.flush(ME);
		const second = outbox.flush(ME);
		await new Promise((resolve) => setTimeout(resolve, 0));
		release();
		await Promise.all([first, second]);
		expect(calls).toBe(1);
	});
});

describe('answers', () => {
	const fallback = 'Some input is not valid.';
	it('tells a network failure from an answer', () => {
		expect(isNetworkFailure({ type: 'error', error: new TypeError('Failed to fetch') })).toBe(true);
		expect(isNetworkFailure({ type: 'error', status: 500 })).toBe(false);
		const offline = JSON.parse(OFFLINE_ANSWER) as { type: 'failure'; data: string };
		expect(isNetworkFailure({ ...offline, data: parse(offline.data) })).toBe(true);
	});

	it('maps each kind of answer to sent, refused or try again', () => {
		expect(outcomeOf({ type: 'success', status: 200 }, fallback)).toEqual({ type: 'sent' });
		expect(outcomeOf({ type: 'redirect', location: '/teams/x' }, fallback)).toEqual({
			type: 'sent'
		});
		expect(outcomeOf({ type: 'redirect', location: '/sign-in?redirectTo=/x' }, fallback)).toEqual({
			type: 'retry',
			why: 'signed-out'
		});
		expect(outcomeOf({ type: 'failure', status: 429, data: {} }, fallback)).toEqual({
			type: 'retry',
			why: 'busy'
		});
		expect(outcomeOf({ type: 'error', status: 503 }, fallback)).toEqual({
			type: 'retry',
			why: 'busy'
		});
		expect(
			outcomeOf({ type: 'failure', status: 400, data: { message: '签到码不正确' } }, fallback)
		).toEqual({ type: 'refused', reason: '签到码不正确' });
		expect(outcomeOf({ type: 'error', status: 404, error: { message: 'gone' } }, fallback)).toEqual(
			{ type: 'refused', reason: 'gone' }
		);
		expect(outcomeOf({ type: 'failure', status: 400, data: {} }, fallback)).toEqual({
			type: 'refused',
			reason: fallback
		});
	});

	it('sends the fields with the key and the wait', () => {
		const body = bodyOf({ ...item('k', 0), status: 'waiting' }, 1234.6);
		expect(Object.fromEntries(body)).toEqual({
			description: 'text k',
			outboxKey: 'k',
			waitedMs: '1235'
		});
	});
});

describe('service worker rules', () => {
	const base = `http://localhost/teams/${EVENT}/events/${EVENT}`;
	it("keeps the day's pages only", () => {
		expect(keptPageKey(new URL(base))).toBe(new URL(base).pathname);
		for (const page of ['me', 'agenda', 'sheet', 'checkin', 'incidents', 'attendance', 'tasks']) {
			expect(keptPageKey(new URL(`${base}/${page}`))).not.toBeNull();
		}
		expect(keptPageKey(new URL(`${base}/checkin?session=meeting&b=1`))).toBe(
			`${new URL(base).pathname}/checkin?b=1&session=meeting`
		);
		for (const other of [`${base}/funding`, 'http://localhost/account', 'http://localhost/teams']) {
			expect(keptPageKey(new URL(other))).toBeNull();
		}
	});

	it('keeps the check-in link page by path, whatever code it was opened with', () => {
		const link = `http://localhost/check-in/${EVENT}`;
		for (const query of ['', '?session=day&code=123456', '?session=meeting&code=654321']) {
			expect(keptPageKey(new URL(`${link}${query}`))).toBe(`/check-in/${EVENT}`);
		}
		expect(keptPageKey(new URL(`http://localhost/check-in/${EVENT}/x`))).toBeNull();
		// Any of the day's pages brings its event's link page along; other pages none.
		expect(linkPageOf(new URL(`${base}/me`))).toBe(`/check-in/${EVENT}`);
		expect(linkPageOf(new URL(base))).toBe(`/check-in/${EVENT}`);
		expect(linkPageOf(new URL(`${base}/funding`))).toBeNull();
		expect(linkPageOf(new URL('http://localhost/teams'))).toBeNull();
	});

	it('the link page reads the code, session and ticket from the address', () => {
		expect(readCheckInLink(new URLSearchParams('session=meeting&code=012345'))).toEqual({
			code: '012345',
			session: 'meeting',
			ticket: null
		});
		expect(readCheckInLink(new URLSearchParams('code=12345x&session=night&ticket=t'))).toEqual({
			code: null,
			session: 'day',
			ticket: 't'
		});
	});

	it("reads the event's time zone from a kept page, for its offline mark", () => {
		const page = (attrs: string) => `<html lang="zh-CN"><body><div class="event-shell"${attrs}>`;
		expect(keptPageTimeZone(page(' data-time-zone="Asia/Shanghai"'))).toBe('Asia/Shanghai');
		expect(keptPageTimeZone(page(' data-time-zone="America/New_York"'))).toBe('America/New_York');
		// No zone on the page, or one this browser does not know: the phone's own is used.
		expect(keptPageTimeZone(page(''))).toBeUndefined();
		expect(keptPageTimeZone(page(' data-time-zone="Mars/Olympus"'))).toBeUndefined();
	});

	it('answers a refresh of the open page with "nothing changed" for each of its nodes', () => {
		const answer = JSON.parse(
			skipAllNodes(new URL(`${base}/__data.json?x-sveltekit-invalidated=011`))
		) as { type: string; nodes: { type: string }[] };
		expect(answer).toEqual({
			type: 'data',
			nodes: [{ type: 'skip' }, { type: 'skip' }, { type: 'skip' }]
		});
	});
});

describe('the page without its service worker', () => {
	const down: typeof fetch = () => Promise.reject(new TypeError('Failed to fetch'));
	const action = { method: 'POST', headers: { 'x-sveltekit-action': 'true' } };

	it('answers a form action that finds no network as the worker does', async () => {
		const res = await withOfflineAnswer(down)('/teams?/create', action);
		const answer = (await res.json()) as { type: 'failure'; status: number; data: string };
		expect(answer.type).toBe('failure');
		expect(parse(answer.data)).toEqual({ offline: true });
		expect(isNetworkFailure({ ...answer, data: parse(answer.data) })).toBe(true);
		const asRequest = new Request('http://localhost/a?/b', action);
		expect((await withOfflineAnswer(down)(asRequest)).ok).toBe(true);
	});

	it('lets every other failure through, and every answer', async () => {
		await expect(withOfflineAnswer(down)('/teams/__data.json')).rejects.toThrow(TypeError);
		await expect(
			withOfflineAnswer(down)('/realtime/v1/api/broadcast', { method: 'POST' })
		).rejects.toThrow(TypeError);
		const aborted: typeof fetch = () =>
			Promise.reject(new DOMException('The user aborted a request.', 'AbortError'));
		await expect(withOfflineAnswer(aborted)('/teams?/create', action)).rejects.toThrow('aborted');
		const ok: typeof fetch = async () => new Response('{"type":"success"}', { status: 200 });
		expect(await (await withOfflineAnswer(ok)('/teams?/create', action)).text()).toBe(
			'{"type":"success"}'
		);
	});
});
