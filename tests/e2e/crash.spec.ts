// Crash safety of the embedded mode: the server is killed (SIGKILL, no shutdown at all) in the
// middle of a storm of claims from many signed-in volunteers, then started again on the same
// data folder. Every claim whose HTTP response said it succeeded must still be there, no task
// may hold more claims than its capacity, and the restarted app must serve as before.
//
// Why nothing is lost: PGlite mounts the data folder with Emscripten's NODEFS, whose writes
// are synchronous `fs.writeSync` calls, and PostgreSQL writes the commit's WAL record before
// the transaction returns (synchronous_commit stays on; PGlite starts with fsync off, `-F`).
// A killed process leaves its written pages in the OS page cache; only a crash of the whole
// machine could lose them, which this test cannot show and the README says.
import { expect, test } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { startApp } from '../support/app-server';
import { Client } from './http-client';

const PORT = Number(process.env.CRASH_PORT ?? 4231);
const ORIGIN = `http://localhost:${PORT}`;
const VOLUNTEERS = 30;
const TASKS = 4;
const CAPACITY = 3;
const DATE = '2030-07-20';

test.setTimeout(240_000);

const startServer = async (dataDir: string) =>
	(await startApp({ port: PORT, dataDir, echo: 'errors' })).process;

const exited = (child: ChildProcess) =>
	new Promise<NodeJS.Signals | number | null>((resolve) => {
		if (child.exitCode !== null || child.signalCode !== null) {
			resolve(child.signalCode ?? child.exitCode);
		} else child.once('exit', (code, signal) => resolve(signal ?? code));
	});

/** Signs up through the real form: the session cookie comes back as a browser gets it. */
async function signUp(email: string, name: string): Promise<Client> {
	const person = new Client(ORIGIN);
	await person.signUp({ email, name });
	expect(person.cookies.has('session')).toBe(true);
	return person;
}

interface Claim {
	email: string;
	taskId: string;
	key: string;
	/** Set once the response arrived and said the claim succeeded. */
	acknowledged?: 'claimed' | 'waiting';
}

test('a SIGKILL in the middle of a claim storm loses no acknowledged claim and overbooks nothing', async () => {
	const dataDir = mkdtempSync(join(tmpdir(), 'tongxing-crash-'));
	const scratch = mkdtempSync(join(tmpdir(), 'tongxing-crash-tools-'));
	let server = await startServer(dataDir);
	try {
		const run = Date.now().toString(36);
		const captain = await signUp(`captain-${run}@example.test`, '林晓');
		const team = await captain.act('/teams?/create', { name: '崩溃测试服务队' });
		const teamId = /\/teams\/([0-9a-f-]{36})/.exec(team.location ?? '')?.[1];
		expect(teamId, JSON.stringify(team)).toBeTruthy();
		const invite = await captain.act(`/teams/${teamId}?/createInvite`, {
			role: 'volunteer',
			maxUses: '100'
		});
		const inviteUrl = (invite.data?.invite as { url: string }).url;
		const inviteToken = inviteUrl.split('/invite/')[1];

		const eventId = await captain.createPlannedEvent(teamId!, {
			title: '夏日读书会',
			date: DATE,
			startTime: '08:30',
			endTime: '12:00'
		});
		const eventPath = `/teams/${teamId}/events/${eventId}`;
		for (let i = 1; i <= TASKS; i++) {
			const created = await captain.act(`${eventPath}/tasks?/create`, {
				kind: 'tutoring',
				title: `学习辅导 第${i}组`,
				date: DATE,
				startTime: '09:00',
				endTime: '10:00',
				capacity: String(CAPACITY)
			});
			expect(created.type, JSON.stringify(created)).toBe('success');
		}
		const board = await captain.send(`${eventPath}/tasks`);
		const taskIds = [
			...new Set(
				[...(await board.text()).matchAll(/name="taskId" value="([0-9a-f-]{36})"/g)].map(
					(m) => m[1]
				)
			)
		];
		expect(taskIds).toHaveLength(TASKS);

		// Volunteers sign up and join through the invite link, a few at a time.
		const volunteers: { email: string; client: Client }[] = [];
		for (let i = 0; i < VOLUNTEERS; i += 5) {
			const batch = await Promise.all(
				Array.from({ length: Math.min(5, VOLUNTEERS - i) }, async (_, j) => {
					const email = `v${i + j}-${run}@example.test`;
					const client = await signUp(email, `志愿者${i + j}`);
					const joined = await client.act(`/invite/${inviteToken}?/join`, {});
					expect(joined.type, JSON.stringify(joined)).toBe('redirect');
					return { email, client };
				})
			);
			volunteers.push(...batch);
		}

		// The storm: every volunteer claims every task at once. The server dies once a quarter of
		// the claims have been answered; the rest are cut off mid-flight.
		const claims: Claim[] = volunteers.flatMap((v) =>
			taskIds.map((taskId) => ({ email: v.email, taskId, key: crypto.randomUUID() }))
		);
		const clientOf = new Map(volunteers.map((v) => [v.email, v.client]));
		const killAfter = Math.floor(claims.length / 4);
		let answered = 0;
		let killed = false;
		const unexpected: unknown[] = [];
		const serverPid = server.pid!;
		await Promise.allSettled(
			claims.map(async (claim) => {
				const result = await clientOf
					.get(claim.email)!
					.act(`${eventPath}/tasks?/claim`, { taskId: claim.taskId, key: claim.key });
				if (killed) return;
				const done = result.data?.done;
				if (result.type === 'success' && (done === 'claimed' || done === 'waiting')) {
					claim.acknowledged = done;
				} else unexpected.push(result);
				if (++answered >= killAfter && !killed) {
					killed = true;
					server.kill('SIGKILL');
				}
			})
		);
		expect(await exited(server)).toBe('SIGKILL');
		expect(unexpected).toEqual([]);
		const acknowledged = claims.filter((c) => c.acknowledged);
		expect(acknowledged.length).toBeGreaterThanOrEqual(killAfter - 1);
		// The kill really came mid-storm: some claims never got an answer.
		expect(acknowledged.length).toBeLessThan(claims.length);
		expect(acknowledged.some((c) => c.acknowledged === 'claimed')).toBe(true);
		// The dead server's pid lock is still there, stale.
		expect(readFileSync(join(dataDir, '.lock'), 'utf8').trim()).toBe(String(serverPid));

		// Restart on the same folder: the stale lock is taken over, PostgreSQL recovers.
		server = await startServer(dataDir);
		expect(readFileSync(join(dataDir, '.lock'), 'utf8').trim()).toBe(String(server.pid));

		// While it runs, the backup and restore tools refuse the folder, naming the server.
		const gzipped = join(scratch, 'backup.tar.gz');
		writeFileSync(gzipped, Buffer.from([0x1f, 0x8b, 8, 0]));
		const toolsRun = Promise.all(
			[
				['scripts/db-backup.ts', join(scratch, 'never.tar.gz')],
				['scripts/db-restore.ts', gzipped, '--force']
			].map(
				(args) =>
					new Promise<{ code: number | null; stderr: string }>((resolve) => {
						const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
							env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' },
							stdio: ['ignore', 'ignore', 'pipe']
						});
						let stderr = '';
						child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
						child.once('exit', (code) => resolve({ code, stderr }));
					})
			)
		);
		// Meanwhile the restarted app serves: the board loads, sessions survived, claims work.
		const again = await captain.send(`${eventPath}/tasks`);
		expect(again.status).toBe(200);
		const latecomer = await signUp(`late-${run}@example.test`, '迟到的志愿者');
		expect((await latecomer.act(`/invite/${inviteToken}?/join`, {})).type).toBe('redirect');
		const late = await latecomer.act(`${eventPath}/tasks?/claim`, {
			taskId: taskIds[0],
			key: crypto.randomUUID()
		});
		expect(late.type, JSON.stringify(late)).toBe('success');
		expect(['claimed', 'waiting']).toContain(late.data?.done);
		const survivor = acknowledged[0];
		const mine = await clientOf.get(survivor.email)!.send(`${eventPath}/tasks`);
		expect(mine.status).toBe(200);

		const tools = await toolsRun;
		for (const tool of tools) {
			expect(tool.code).toBe(1);
			expect(tool.stderr).toContain(`in use by a running Tongxing process (pid ${server.pid})`);
		}
		expect(existsSync(join(scratch, 'never.tar.gz'))).toBe(false);

		server.kill('SIGTERM');
		expect(await exited(server)).toBe(0);

		// Read what the data folder holds, as the next start will.
		const pg = await PGlite.create(join(dataDir, 'pgdata'));
		try {
			const { rows: keys } = await pg.query<{ email: string; key: string; status: string }>(
				`select u.email, k.key, k.status from task_claim_keys k join users u on u.id = k.user_id`
			);
			const stored = new Map(keys.map((k) => [`${k.email}/${k.key}`, k.status]));
			const { rows: signups } = await pg.query<{ email: string; task_id: string; status: string }>(
				`select u.email, s.task_id, s.status from task_signups s join users u on u.id = s.user_id
				 where s.status in ('claimed', 'waiting')`
			);
			const active = new Map(signups.map((s) => [`${s.email}/${s.task_id}`, s.status]));
			const lost = acknowledged.filter(
				(c) =>
					stored.get(`${c.email}/${c.key}`) !== c.acknowledged ||
					active.get(`${c.email}/${c.taskId}`) !== c.acknowledged
			);
			expect(lost, `${lost.length} acknowledged claims lost`).toEqual([]);

			const { rows: counts } = await pg.query<{
				id: string;
				capacity: number;
				taken: number;
				waiting: number;
				claimed_rows: number;
				waiting_rows: number;
				positions: number[] | null;
			}>(
				`select t.id, t.capacity, t.taken, t.waiting,
				        count(s.id) filter (where s.status = 'claimed')::int as claimed_rows,
				        count(s.id) filter (where s.status = 'waiting')::int as waiting_rows,
				        array_agg(s.position order by s.position) filter (where s.status = 'waiting')
				          as positions
				 from tasks t left join task_signups s on s.task_id = t.id
				 group by t.id`
			);
			expect(counts).toHaveLength(TASKS);
			for (const task of counts) {
				expect(task.taken).toBeLessThanOrEqual(task.capacity);
				expect(task.claimed_rows).toBe(task.taken);
				expect(task.waiting_rows).toBe(task.waiting);
				expect(task.positions ?? []).toEqual(Array.from({ length: task.waiting }, (_, i) => i + 1));
			}
			const totalClaimed = counts.reduce((sum, t) => sum + t.claimed_rows, 0);
			expect(totalClaimed).toBeLessThanOrEqual(TASKS * CAPACITY);
			const summary =
				`${claims.length} claims sent, ${acknowledged.length} acknowledged before the kill, ` +
				`${signups.length} active sign-ups after the restart, ${totalClaimed} slots taken`;
			test.info().annotations.push({ type: 'storm', description: summary });
			console.log(`crash: ${summary}`);
		} finally {
			await pg.close();
		}
	} finally {
		if (server.exitCode === null && server.signalCode === null) {
			server.kill('SIGKILL');
			await exited(server);
		}
		rmSync(dataDir, { recursive: true, force: true });
		rmSync(scratch, { recursive: true, force: true });
	}
});
