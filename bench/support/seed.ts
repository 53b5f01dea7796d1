// Benchmark data, made through the domain commands and the test factories (one precomputed
// password hash for everybody), with sessions from the session module so that each user has
// a cookie. Embedded mode seeds the data folder before the server opens it (PGlite is one
// process at a time); postgres mode seeds a fresh database of its own, dropped afterwards.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { runMigrations } from '../../src/lib/server/db/migrate';
import { readEnv } from '../../src/lib/server/env';
import { closeDatabase, initDatabase } from '../../src/lib/server/db';
import { readMigrations } from '../../src/lib/server/db/fs-migrations';
import * as teams from '../../src/lib/server/teams';
import * as tasks from '../../src/lib/server/tasks';
import { createSession } from '../../src/lib/server/auth/session';
import { makeUser } from '../../tests/factories/users';
import { makeTeam, type TeamFixture } from '../../tests/factories/teams';
import { makeEvent } from '../../tests/factories/events';
import { makeGroup } from '../../tests/factories/groups';
import { makeTask } from '../../tests/factories/tasks';
import {
	createDatabase as createFreshDatabase,
	type FreshDatabase
} from '../../tests/support/databases';

export const ADMIN_URL =
	process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export type Mode = 'embedded' | 'postgres';

export interface Target {
	mode: Mode;
	/** Embedded: the data folder. */
	dataDir?: string;
	/** Postgres: the fresh database's URL. */
	databaseUrl?: string;
}

/** Opens and migrates the target in this process, runs `fn`, and closes it again. */
export async function seed<T>(target: Target, fn: () => Promise<T>): Promise<T> {
	const env = readEnv({
		DATA_DIR: target.dataDir ?? '',
		DATABASE_URL: target.databaseUrl ?? '',
		DATABASE_POOL_MAX: '20'
	});
	const { migrations, bootstrap } = readMigrations();
	await initDatabase(env, { migrations, bootstrap });
	try {
		return await fn();
	} finally {
		await closeDatabase();
	}
}

let template: Promise<Blob> | undefined;

/**
 * A new embedded data folder, already initialised and migrated. PGlite's initdb costs several
 * seconds of CPU; it runs once per benchmark run (the start-up scenario measures it on its
 * own), and every other folder is loaded from this dump.
 */
export async function embeddedFolder(): Promise<string> {
	template ??= (async () => {
		const pg = await PGlite.create();
		const { migrations, bootstrap } = readMigrations();
		await runMigrations(
			{
				exec: async (s) => void (await pg.exec(s)),
				query: async (s, p) => (await pg.query(s, p)).rows as never[]
			},
			migrations,
			{ bootstrap }
		);
		const dump = await pg.dumpDataDir('none');
		await pg.close();
		return dump;
	})();
	const dataDir = mkdtempSync(join(tmpdir(), 'tongxing-bench-'));
	const pg = await PGlite.create(join(dataDir, 'pgdata'), { loadDataDir: await template });
	await pg.close();
	return dataDir;
}

/** A new, empty PostgreSQL database on BENCH_DATABASE_URL's server, with a unique name. */
export const createDatabase = (label: string): Promise<FreshDatabase> =>
	createFreshDatabase(ADMIN_URL, `tongxing_bench_${label}`);

export interface Member {
	id: string;
	/** The session token: the value of the `session` cookie. */
	token: string;
}

/** Runs `fn` over `items`, at most `width` at a time, keeping the order of the results. */
export async function inBatches<T, R>(
	items: readonly T[],
	width: number,
	fn: (item: T, index: number) => Promise<R>
): Promise<R[]> {
	const results: R[] = new Array(items.length);
	let next = 0;
	const worker = async () => {
		while (next < items.length) {
			const i = next++;
			results[i] = await fn(items[i], i);
		}
	};
	await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
	return results;
}

/**
 * `n` new volunteers in the team. They join through invites of up to 1,000 uses (the most one
 * invite allows), as a captain would share one link in a group chat. The first `sessions` (all
 * by default) are signed in once; the others' `token` is empty.
 */
export async function addVolunteers(
	team: TeamFixture,
	n: number,
	{
		width = 16,
		sessions = n,
		log
	}: { width?: number; sessions?: number; log?: (line: string) => void } = {}
): Promise<Member[]> {
	const captain = { userId: team.captain.id };
	const tokens: string[] = [];
	for (let left = n; left > 0; left -= 1000) {
		const invite = await teams.createInvite(captain, team.teamId, {
			role: 'volunteer',
			maxUses: Math.min(left, 1000)
		});
		tokens.push(invite.token);
	}
	let done = 0;
	return inBatches(
		Array.from({ length: n }, (_, i) => i),
		width,
		async (i) => {
			const user = await makeUser({ displayName: `志愿者 ${i + 1}` });
			await teams.acceptInvite({ userId: user.id }, tokens[Math.floor(i / 1000)]);
			const token = i < sessions ? (await createSession(user.id)).token : '';
			if (++done % 250 === 0) log?.(`  seeded ${done}/${n} members`);
			return { id: user.id, token };
		}
	);
}

/** A team with a planned event (volunteers see planned events, not drafts). */
export async function makeTeamWithEvent(): Promise<{ team: TeamFixture; eventId: string }> {
	const team = await makeTeam('信息学院“同行”志愿服务队');
	const event = await makeEvent(team, { status: 'planned' });
	return { team, eventId: event.id };
}

export async function sessionFor(userId: string): Promise<string> {
	return (await createSession(userId)).token;
}

const KINDS = ['performance', 'tutoring', 'donation', 'publicity', 'logistics', 'support'] as const;

/**
 * A service day's board as a team fills it: three groups, 24 tasks of every kind, and the
 * volunteers' claims on them (some full, some with a waitlist). Returns the task ids.
 */
export async function makeBoard(
	team: TeamFixture,
	eventId: string,
	volunteers: readonly Member[]
): Promise<string[]> {
	const groupIds: string[] = [];
	for (const [i, name] of ['一组 · 歌舞', '二组 · 魔术', '三组 · 小品'].entries()) {
		const group = await makeGroup(team, eventId, { name, childrenCount: 8, ageMin: 6 + i * 2 });
		groupIds.push(group.id);
	}
	const taskIds: string[] = [];
	for (let i = 0; i < 24; i++) {
		const task = await makeTask(team, eventId, {
			kind: KINDS[i % KINDS.length],
			title: `${['节目', '学习辅导', '发放图书', '海报', '搬运音箱', '安全讲解'][i % 6]} ${i + 1}`,
			groupId: i % 2 === 0 ? groupIds[i % 3] : undefined,
			place: '幸福社区活动中心',
			capacity: 2 + (i % 5),
			startTime: `${String(8 + (i % 4)).padStart(2, '0')}:00`,
			endTime: `${String(9 + (i % 4)).padStart(2, '0')}:00`
		});
		taskIds.push(task.id);
	}
	for (const [i, v] of volunteers.entries()) {
		for (const t of [i % taskIds.length, (i * 7 + 3) % taskIds.length]) {
			await tasks.claimTask(
				{ actor: { userId: v.id }, teamId: team.teamId, eventId },
				taskIds[t],
				crypto.randomUUID()
			);
		}
	}
	return taskIds;
}
