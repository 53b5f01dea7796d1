// `npm run demo`: the built app on its own data folder (./.data-demo), seeded once with a
// sample team, whose sign-in details are printed before the server starts.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { readEnv } from '../src/lib/server/env';
import { closeDatabase, getDb, initDatabase } from '../src/lib/server/db';
import { readMigrations } from '../src/lib/server/db/fs-migrations';
import { SNAPSHOT_DIR } from '../src/lib/server/db/snapshot';
import { users } from '../src/lib/server/db/schema';
import * as accounts from '../src/lib/server/accounts';
import * as teams from '../src/lib/server/teams';
import * as events from '../src/lib/server/events';
import * as groups from '../src/lib/server/groups';
import * as agenda from '../src/lib/server/agenda';
import { addDays, todayIn } from '../src/lib/time';
import { hashPassword } from '../src/lib/server/auth/password';

const DATA_DIR = process.env.DEMO_DATA_DIR ?? './.data-demo';
const PASSWORD = 'tongxing-demo';
const PORT = process.env.PORT ?? '3000';

const people = [
	{
		email: 'captain@demo.tongxing',
		displayName: '林晓（队长）',
		phone: '13800000001',
		role: 'captain'
	},
	{ email: 'leader1@demo.tongxing', displayName: '王磊', phone: '13800000002', role: 'leader' },
	{ email: 'leader2@demo.tongxing', displayName: '陈静', phone: '13800000003', role: 'leader' },
	...['张伟', '李娜', '刘洋', '赵敏', '周杰', '吴婷'].map((name, i) => ({
		email: `volunteer${i + 1}@demo.tongxing`,
		displayName: name,
		phone: `1380000001${i}`,
		role: 'volunteer' as const
	}))
] as const;

async function seed(): Promise<boolean> {
	const existing = await getDb().select({ id: users.id }).from(users).limit(1);
	if (existing.length > 0) return false;
	const passwordHash = await hashPassword(PASSWORD);
	const created = [];
	for (const person of people) {
		const user = await accounts.signUp(
			{
				email: person.email,
				displayName: person.displayName,
				phone: person.phone,
				password: PASSWORD
			},
			{ passwordHash }
		);
		created.push({ ...person, id: user.id });
	}
	const captain = { userId: created[0].id };
	const team = await teams.createTeam(captain, {
		name: '信息学院“同行”志愿服务队',
		description: '走进社区，关爱留守儿童 · 暑期服务日'
	});
	for (const person of created.slice(1)) {
		const invite = await teams.createInvite(captain, team.id, { role: person.role, maxUses: 1 });
		await teams.acceptInvite({ userId: person.id }, invite.token);
	}
	await seedOutreachDay(team.id, created);
	return true;
}

/** A summer outreach day built from the template, ten days ahead, with three groups. */
async function seedOutreachDay(teamId: string, created: { displayName: string; id: string }[]) {
	const id = (name: string) => created.find((p) => p.displayName.startsWith(name))!.id;
	const captain = { userId: id('林晓') };
	const event = await events.createEvent(
		captain,
		teamId,
		{
			title: '走进社区，关爱留守儿童 · 幸福社区服务日',
			theme: '暑期关爱行动：陪伴、辅导、安全教育',
			date: addDays(todayIn('Asia/Shanghai'), 10),
			startTime: '08:00',
			endTime: '12:30',
			communityName: '幸福社区居委会',
			venueName: '幸福社区活动中心',
			venueAddress: '和平路 12 号',
			meetingPoint: '学校东门，07:20 集合',
			transport: '乘 16 路公交到“幸福社区”站，步行 5 分钟',
			expectedChildren: '24',
			teacherName: '周老师',
			teacherPhone: '13900000000',
			nearestHospital: '县人民医院（和平路 88 号，约 1 公里）'
		},
		{ locale: 'zh-CN' }
	);
	const plan = [
		{
			name: '一组 · 歌舞',
			colour: '#b2400b',
			leader: '王磊',
			members: ['张伟', '李娜'],
			kids: 8,
			ages: [6, 9]
		},
		{
			name: '二组 · 魔术',
			colour: '#1d4ed8',
			leader: '陈静',
			members: ['刘洋', '赵敏'],
			kids: 9,
			ages: [8, 12]
		},
		{
			name: '三组 · 小品',
			colour: '#047857',
			leader: '林晓',
			members: ['周杰', '吴婷'],
			kids: 7,
			ages: [10, 13]
		}
	];
	const groupIds: string[] = [];
	for (const g of plan) {
		const group = await groups.createGroup(
			{ actor: captain, teamId, eventId: event.id },
			{
				name: g.name,
				colour: g.colour,
				leaderId: id(g.leader),
				childrenCount: g.kids,
				ageMin: g.ages[0],
				ageMax: g.ages[1]
			}
		);
		groupIds.push(group.id);
		for (const member of g.members) {
			await groups.addGroupMember(
				{ actor: captain, teamId, eventId: event.id },
				group.id,
				id(member)
			);
		}
	}
	const items = (await agenda.getAgenda(captain, teamId, event.id)).items;
	for (const item of items.filter((i) => i.kind === 'performance' || i.kind === 'tutoring')) {
		await agenda.updateAgendaItem({ actor: captain, teamId, eventId: event.id }, item.id, {
			...item,
			place: item.kind === 'tutoring' ? '二楼教室' : '活动中心大厅',
			groupIds
		});
	}
	const checklist = (await events.getChecklist(captain, teamId, event.id)).items;
	for (const item of checklist) {
		await events.assignChecklistItem(
			{ actor: captain, teamId, eventId: event.id },
			item.id,
			captain.userId
		);
		if (item.daysBefore >= 10) {
			await events.setChecklistItemDone(
				{ actor: captain, teamId, eventId: event.id },
				item.id,
				true
			);
		}
	}
	await events.changeStatus({ actor: captain, teamId, eventId: event.id }, 'planned');
	await events.postAnnouncement(
		{ actor: captain, teamId, eventId: event.id },
		{
			body: '天气炎热，请自带水杯和遮阳帽；07:20 学校东门集合，不要迟到。'
		}
	);
}

const env = readEnv({ ...process.env, DATA_DIR, DATABASE_URL: '' });
const { migrations, bootstrap } = readMigrations();
// `npm run demo` builds first: a new demo folder starts from the build's snapshot.
await initDatabase(env, { migrations, bootstrap, snapshotDir: resolve(SNAPSHOT_DIR) });
const seeded = await seed();
await closeDatabase();

console.log(`\nTongxing demo — data in ${env.dataDir}${seeded ? ' (just seeded)' : ''}`);
console.log(`Sign in at http://localhost:${PORT}/sign-in with password "${PASSWORD}" as:`);
for (const person of people)
	console.log(`  ${person.role.padEnd(9)} ${person.email}  ${person.displayName}`);
console.log('');

const server = spawn(process.execPath, ['server.js'], {
	stdio: 'inherit',
	env: { ...process.env, DATA_DIR, DATABASE_URL: '', PORT }
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
	process.on(signal, () => server.kill(signal));
}
server.on('exit', (code) => process.exit(code ?? 0));
