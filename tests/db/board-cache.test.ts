// The task board's shared part is read once per event and version and reused for every viewer
// (src/lib/server/tasks/board-cache.ts). The cases that matter: a commit made by another
// instance (here: SQL through the same database, bypassing this process's code) is never hidden
// by an old entry, each viewer still gets their own part, and the cache stays bounded.
import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import * as tasks from '../../src/lib/server/tasks';
import { BoardCache } from '../../src/lib/server/tasks/board-cache';
import { getDb } from '../../src/lib/server/db';
import { useTestDatabase } from './helpers';
import { addMember, makeTeam } from '../factories/teams';
import { makeEvent } from '../factories/events';
import { makeGroup } from '../factories/groups';
import { key, makeTask } from '../factories/tasks';
import * as groups from '../../src/lib/server/groups';

useTestDatabase();
const as = (user: { id: string }) => ({ userId: user.id });

describe('shared board cache', () => {
	it('reads the shared board once per version for many viewers, each with their own part', async () => {
		const team = await makeTeam();
		const { id: eventId } = await makeEvent(team, { status: 'planned' });
		const leader = await addMember(team, 'leader');
		const group = await makeGroup(team, eventId, { leaderId: leader.id });
		const task = await makeTask(team, eventId, { capacity: 3, groupId: group.id });
		const other = await makeTask(team, eventId, { capacity: 3 });
		const people = [await addMember(team), await addMember(team), await addMember(team)];
		await groups.addGroupMember(
			{ actor: as(team.captain), teamId: team.teamId, eventId },
			group.id,
			people[2].id
		);
		await tasks.claimTask({ actor: as(people[0]), teamId: team.teamId, eventId }, task.id, key());

		const before = tasks.boardCacheStats();
		const boards = await Promise.all(
			[...people, leader].map((p) => tasks.getTaskBoard(as(p), team.teamId, eventId))
		);
		const after = tasks.boardCacheStats();
		// Four viewers at once, one version: one read of the shared part.
		expect(after.loads - before.loads).toBe(1);
		expect(after.hits - before.hits).toBe(3);
		const card = (b: (typeof boards)[number]) => b.all.find((t) => t.id === task.id)!;
		expect(card(boards[0]).mine).toEqual({ status: 'claimed', position: null });
		expect(card(boards[1]).mine).toBeNull();
		expect(boards.map((b) => b.myGroupId)).toEqual([null, null, group.id, null]);
		expect(boards.map((b) => card(b).canManage)).toEqual([false, false, false, true]);
		expect(boards[3].all.find((t) => t.id === other.id)!.canManage).toBe(false);
		expect(boards.every((b) => card(b).claimants.length === 1)).toBe(true);
	});

	it('never serves an entry older than the version in the database (a commit on another instance)', async () => {
		const team = await makeTeam();
		const { id: eventId } = await makeEvent(team, { status: 'planned' });
		const task = await makeTask(team, eventId, { capacity: 5 });
		const viewer = await addMember(team);
		const first = await tasks.getTaskBoard(as(viewer), team.teamId, eventId);
		expect(first.all[0].capacity).toBe(5);
		// Another instance's command: the row and the topic's version change in one transaction,
		// and nothing in this process hears of it.
		await getDb().transaction(async (tx) => {
			await tx.execute(sql`update tasks set capacity = 7 where id = ${task.id}`);
			await tx.execute(
				sql`update realtime_topic_versions set version = version + 1 where topic = ${`event:${eventId}`}`
			);
		});
		const second = await tasks.getTaskBoard(as(viewer), team.teamId, eventId);
		expect(second.version).toBe(first.version + 1);
		expect(second.all[0].capacity).toBe(7);
		// The cards read goes through the same cache and sees the same.
		const cards = await tasks.getTaskBoard(as(viewer), team.teamId, eventId, { ids: [task.id] });
		expect(cards.all.map((t) => [t.id, t.capacity])).toEqual([[task.id, 7]]);
	});
});

describe('BoardCache', () => {
	it('keeps one entry per event, drops the least recently used beyond its bound, and expires', async () => {
		let now = 0;
		const cache = new BoardCache<string>({ maxEvents: 2, maxAgeMs: 1000, now: () => now });
		let reads = 0;
		const load = (value: string) => () => {
			reads += 1;
			return Promise.resolve(value);
		};
		expect(await cache.get('a', 1, load('a1'))).toBe('a1');
		expect(await cache.get('a', 1, load('again'))).toBe('a1');
		// An older version is served what is newer (the page applies later hints twice: no harm).
		expect(await cache.get('a', 0, load('again'))).toBe('a1');
		expect(await cache.get('a', 2, load('a2'))).toBe('a2');
		expect(await cache.get('b', 1, load('b1'))).toBe('b1');
		await cache.get('a', 2, load('again')); // a is now the most recently used
		expect(await cache.get('c', 1, load('c1'))).toBe('c1');
		expect(cache.stats().events).toBe(2);
		expect(await cache.get('b', 1, load('b1 again'))).toBe('b1 again');
		now = 1000;
		expect(await cache.get('b', 1, load('b1 later'))).toBe('b1 later');
		expect(reads).toBe(6);
	});

	it('shares one read among viewers who ask at once, and keeps no failed read', async () => {
		const cache = new BoardCache<number>();
		let reads = 0;
		let release!: (n: number) => void;
		const slow = () => {
			reads += 1;
			return new Promise<number>((resolve) => (release = resolve));
		};
		const waiting = [cache.get('e', 3, slow), cache.get('e', 3, slow), cache.get('e', 2, slow)];
		release(42);
		expect(await Promise.all(waiting)).toEqual([42, 42, 42]);
		expect(reads).toBe(1);
		await expect(cache.get('f', 1, () => Promise.reject(new Error('down')))).rejects.toThrow(
			'down'
		);
		expect(await cache.get('f', 1, () => Promise.resolve(7))).toBe(7);
	});
});
