import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { getDb } from '../../src/lib/server/db';
import { hint, publish } from '../../src/lib/server/realtime/publish';
import { BROADCAST_CHANNEL, decodeBroadcast } from '../../src/lib/server/realtime/notify';
import { HINT_KINDS, HintError, isHint } from '../../src/lib/server/realtime/hints';
import * as teams from '../../src/lib/server/teams';
import { useTestDatabase } from './helpers';
import { addMember, makeTeam } from '../factories/teams';
import { makeUser } from '../factories/users';

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
			{ topic, event: 'hint', payload: { kinds: ['members'], ids: [id] } }
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
				counts: { taken: 1000 }
			});
		});
		await settle();
		expect(messages[0].payload).toEqual({ kinds: ['tasks', 'signups'], counts: { taken: 1000 } });
		expect(Buffer.byteLength(raw[0])).toBeLessThan(8000);
		await unlisten();
	});

	it('refuses what the map does not allow, before anything is written', async () => {
		const topic = `team:${randomUUID()}` as const;
		const attempts = [
			() => hint(getDb(), topic, ['tasks']),
			() => hint(getDb(), topic, []),
			() => hint(getDb(), topic, ['members'], ['王小明']),
			() => hint(getDb(), topic, ['members'], undefined, { '张伟 13800000000': 1 }),
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
