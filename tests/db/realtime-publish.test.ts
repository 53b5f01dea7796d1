import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { getDb } from '../../src/lib/server/db';
import { hint, publish, topicVersion } from '../../src/lib/server/realtime/publish';
import { BROADCAST_CHANNEL, decodeBroadcast } from '../../src/lib/server/realtime/notify';
import {
	HINT_FIELDS,
	HINT_KINDS,
	HintError,
	isHint,
	taskCounts
} from '../../src/lib/server/realtime/hints';
import * as teams from '../../src/lib/server/teams';
import { useTestDatabase } from './helpers';
import { addMember, makeTeam } from '../factories/teams';
import { makeUser } from '../factories/users';
import { makeEvent } from '../factories/events';
import { key, makeTask } from '../factories/tasks';
import * as tasks from '../../src/lib/server/tasks';

const t = useTestDatabase();
const settle = () => new Promise((resolve) => setTimeout(resolve, 150));

async function capture() {
	const messages: { topic: string; event: string; payload: Record<string, unknown> }[] = [];
	const raw: string[] = [];
	const unlisten = await t.handle.listen(BROADCAST_CHANNEL, (text) => {
		raw.push(text);
		const message = decodeBroadcast(text);
		if (message) messages.push(message);
	});
	return { messages, raw, unlisten };
}

describe('publish', () => {
	it('sends on commit and nothing on rollback', async () => {
		const topic = `team:${randomUUID()}` as const;
		const id = randomUUID();
		const { messages, unlisten } = await capture();
		await getDb().transaction(async (tx) => {
			await hint(tx, topic, ['members'], [id]);
			await settle();
			expect(messages).toEqual([]);
		});
		await settle();
		expect(messages).toEqual([
			{ topic, event: 'hint', payload: { kinds: ['members'], ids: [id], version: 1 } }
		]);

		await getDb()
			.transaction(async (tx) => {
				await hint(tx, topic, ['invites']);
				throw new Error('roll back');
			})
			.catch((err: Error) => expect(err.message).toBe('roll back'));
		await settle();
		expect(messages).toHaveLength(1);
		await unlisten();
	});

	it('commits a 1,000-row change: beyond 50 ids the hint means "all"', async () => {
		const topic = `event:${randomUUID()}` as const;
		const ids = Array.from({ length: 1000 }, () => randomUUID());
		const { messages, raw, unlisten } = await capture();
		await getDb().transaction(async (tx) => {
			await publish(tx, topic, 'hint', {
				kinds: ['tasks', 'signups'],
				ids,
				counts: Object.fromEntries(ids.map((id) => [id, taskCounts(1, 1, 0)]))
			});
		});
		await settle();
		expect(messages[0].payload).toEqual({ kinds: ['tasks', 'signups'], version: 1 });
		expect(Buffer.byteLength(raw[0])).toBeLessThan(8000);
		await unlisten();
	});

	it('numbers the hints of each topic 1, 2, 3… in commit order; a rollback uses no number', async () => {
		const topic = `event:${randomUUID()}` as const;
		const other = `event:${randomUUID()}` as const;
		const { messages, unlisten } = await capture();
		expect(await topicVersion(getDb(), topic)).toBe(0);
		await hint(getDb(), topic, ['tasks']);
		await getDb()
			.transaction(async (tx) => {
				await hint(tx, topic, ['tasks']);
				throw new Error('roll back');
			})
			.catch(() => undefined);
		await hint(getDb(), other, ['tasks']);
		await Promise.all([1, 2, 3].map(() => hint(getDb(), topic, ['signups'])));
		await settle();
		await unlisten();
		const versions = messages.filter((m) => m.topic === topic).map((m) => m.payload.version);
		expect(versions).toEqual([1, 2, 3, 4]);
		expect(messages.find((m) => m.topic === other)?.payload.version).toBe(1);
		expect(await topicVersion(getDb(), topic)).toBe(4);
	});

	it('refuses what the map does not allow, before anything is written', async () => {
		const topic = `team:${randomUUID()}` as const;
		const attempts = [
			() => hint(getDb(), topic, ['tasks']),
			() => hint(getDb(), topic, []),
			() => hint(getDb(), topic, ['members'], ['王小明']),
			() =>
				hint(getDb(), topic, ['members'], undefined, {
					'张伟 13800000000': taskCounts(1, 2, 0)
				}),
			() =>
				hint(getDb(), topic, ['members'], undefined, {
					[randomUUID()]: { ...taskCounts(1, 2, 0), name: 1 } as never
				}),
			() => hint(getDb(), 'team:not-a-uuid' as `team:${string}`, ['members'])
		];
		for (const attempt of attempts) await expect(attempt()).rejects.toBeInstanceOf(HintError);
	});
});

describe('hints published by the app', () => {
	it('carry only kinds of the map, uuids and counts: never names, contacts or text', async () => {
		const { messages, raw, unlisten } = await capture();
		const team = await makeTeam('秘密服务队名称');
		const volunteer = await addMember(team);
		const leader = await addMember(team, 'leader');
		const actor = { userId: team.captain.id };
		await teams.changeRole(actor, team.teamId, volunteer.id, 'leader');
		const invite = await teams.createInvite(actor, team.teamId, {});
		await teams.acceptInvite({ userId: (await makeUser()).id }, invite.token);
		await teams.revokeInvite(actor, team.teamId, invite.id);
		await teams.removeMember(actor, team.teamId, leader.id);
		await teams.leaveTeam({ userId: volunteer.id }, team.teamId);
		await settle();
		await unlisten();

		expect(messages.length).toBeGreaterThanOrEqual(7);
		for (const message of messages) {
			expect(isHint(message.payload), JSON.stringify(message)).toBe(true);
			const kind = message.topic.split(':')[0] as keyof typeof HINT_KINDS;
			for (const k of message.payload.kinds as string[]) {
				expect(HINT_KINDS[kind] as readonly string[]).toContain(k);
			}
		}
		const text = raw.join('\n');
		for (const secret of ['秘密服务队名称', volunteer.email, leader.email, '@', 'User ']) {
			expect(text).not.toContain(secret);
		}
	});

	it('sign-up changes carry each touched task’s new counters and the next version, nothing else', async () => {
		const team = await makeTeam('秘密服务队名称');
		const { id: eventId } = await makeEvent(team, { status: 'planned' });
		const people = [await addMember(team), await addMember(team), await addMember(team)];
		const task = await makeTask(team, eventId, { capacity: 2 });
		const captain = { userId: team.captain.id };
		await settle();
		const { messages, unlisten } = await capture();
		const v0 = await topicVersion(getDb(), `event:${eventId}`);
		for (const p of people)
			await tasks.claimTask(
				{ actor: { userId: p.id }, teamId: team.teamId, eventId },
				task.id,
				key()
			);
		await tasks.withdrawFromTask(
			{ actor: { userId: people[0].id }, teamId: team.teamId, eventId },
			task.id
		);
		await tasks.setCapacity({ actor: captain, teamId: team.teamId, eventId }, task.id, 3);
		await tasks.assignTask({ actor: captain, teamId: team.teamId, eventId }, task.id, people[0].id);
		await tasks.removeSignup(
			{ actor: captain, teamId: team.teamId, eventId },
			task.id,
			people[1].id
		);
		await teams.removeMember(captain, team.teamId, people[2].id);
		await settle();
		await unlisten();
		const mine = messages.filter((m) => m.topic === `event:${eventId}`);
		for (const message of mine) {
			for (const field of Object.keys(message.payload)) expect(HINT_FIELDS).toContain(field);
			expect(isHint(message.payload), JSON.stringify(message)).toBe(true);
		}
		const deltas = mine
			.filter((m) => m.payload.counts)
			.map((m) => [(m.payload.version as number) - v0, (m.payload.counts as never)[task.id]]);
		expect(deltas).toEqual([
			[1, taskCounts(1, 2, 0)],
			[2, taskCounts(2, 2, 0)],
			[3, taskCounts(2, 2, 1)], // the third waits
			[4, taskCounts(2, 2, 0)], // the first leaves: the third moves up
			[5, taskCounts(2, 3, 0)],
			[6, taskCounts(3, 3, 0)], // the first is given a slot again
			[7, taskCounts(2, 3, 0)],
			[8, taskCounts(1, 3, 0)] // the third leaves the team: a groups hint may join it
		]);
		expect(mine[3].payload.ids).toEqual([task.id, people[2].id]);
	});

	it('every hint call in the source names kinds of its topic in the map', () => {
		const files: string[] = [];
		const walk = (dir: string) => {
			for (const name of readdirSync(dir)) {
				const path = join(dir, name);
				if (statSync(path).isDirectory()) walk(path);
				else if (path.endsWith('.ts')) files.push(path);
			}
		};
		walk('src/lib/server');
		const call = /\bhint\(\s*\w+,\s*`(team|event):\$\{[^}]+\}`,\s*\[([^\]]*)\]/g;
		let calls = 0;
		for (const file of files) {
			for (const match of readFileSync(file, 'utf8').matchAll(call)) {
				calls++;
				const kinds = [...match[2].matchAll(/'([^']+)'/g)].map((k) => k[1]);
				expect(kinds.length, `${file}: ${match[0]}`).toBeGreaterThan(0);
				for (const kind of kinds) {
					expect(HINT_KINDS[match[1] as 'team' | 'event'] as readonly string[], file).toContain(
						kind
					);
				}
			}
		}
		expect(calls).toBeGreaterThan(0);
	});
});
