// The seeded world of the layout spec and of `npm run screenshots`: seed.ts's team (a
// captain, a volunteer, one of everything) plus a leader who leads its group, and the URL of
// every page of the route table with who visits it.
import type { Browser, BrowserContextOptions } from '@playwright/test';
import { Client, findObject, unique } from './http-client';
import { fillPath } from './routes-catalogue';
import { ROUTES, type Access } from './route-table';
import { seedTeam, type SeededTeam } from './seed';

export type Role = 'captain' | 'leader' | 'volunteer' | 'anonymous';

export interface RoleWorld extends SeededTeam {
	leader: Client;
	volunteer: Client;
	/** The secret of an unused reset link. */
	resetToken: string;
}

/** seed.ts's team, its volunteer in the group, and a leader leading that group. */
export async function seedRoles(origin: string, label: string): Promise<RoleWorld> {
	const volunteer = await Client.open(origin);
	const seeded = await seedTeam(origin, label, volunteer);
	const { world, captain } = seeded;
	const team = `/teams/${world.teamId}`;
	const event = `${team}/events/${world.eventId}`;

	const leader = await Client.open(origin);
	const leaderName = `Leader ${label} ${unique()}`;
	await leader.signUp({ name: leaderName });
	const joined = await leader.join(seeded.tokens.invite);
	if (joined.location !== team) throw new Error(`the leader could not join: ${joined.text}`);
	const member = findObject(
		await captain.pageData(team),
		(o) => o.displayName === leaderName && typeof o.userId === 'string'
	);
	const leaderId = String(member?.userId);
	const steps: [string, string, Record<string, string>][] = [
		[team, 'changeRole', { userId: leaderId, role: 'leader' }],
		[`${event}/groups`, 'addMember', { groupId: world.groupId, userId: world.volunteerId }],
		[`${event}/groups`, 'setLeader', { groupId: world.groupId, leaderId }]
	];
	for (const [path, name, body] of steps) {
		const res = await captain.post(path, name, body, { enhanced: true });
		if (res.status >= 400 || res.type === 'failure') {
			throw new Error(`${path}?/${name}: ${res.status} ${res.text.slice(0, 300)}`);
		}
	}
	// A reset link for the leader (made, never used), for the reset page.
	const reset = await captain.post(team, 'resetLink', { userId: leaderId }, { enhanced: true });
	const resetToken = reset.text.match(/\/reset\/([A-Za-z0-9_-]+)/)?.[1];
	if (!resetToken) throw new Error(`no reset link in ${reset.text.slice(0, 300)}`);
	return { ...seeded, leader, volunteer, resetToken };
}

/** Who visits a page of this access level in the layout checks. */
export function visitorsOf(access: Access): Role[] {
	switch (access) {
		case 'public':
			return ['anonymous'];
		case 'signedIn':
		case 'member':
			return ['captain', 'leader', 'volunteer'];
		case 'staff':
			return ['captain', 'leader'];
		case 'captain':
			return ['captain'];
		case 'testHook':
			return [];
	}
}

export interface PageVisit {
	/** The route table's key, e.g. `load /teams/[teamId=uuid]/events/[eventId=uuid]/tasks`. */
	id: string;
	url: string;
}

/** Every page (`load` row) of the route table that `role` visits, as concrete URLs. */
export function pagesFor(role: Role, seeded: RoleWorld): PageVisit[] {
	const params: Record<string, string> = {
		...seeded.world,
		token: seeded.tokens.contact
	};
	const visits: PageVisit[] = [];
	for (const [id, rule] of Object.entries(ROUTES)) {
		if (!id.startsWith('load ')) continue;
		if (!visitorsOf(rule.access).includes(role)) continue;
		const pattern = id.slice('load '.length);
		// Each link page gets its own secret.
		const own = pattern.startsWith('/invite/')
			? { ...params, token: seeded.tokens.invite }
			: pattern.startsWith('/reset/')
				? { ...params, token: seeded.resetToken }
				: params;
		visits.push({ id, url: fillPath(pattern, own) });
	}
	return visits;
}

/** The URL of the wall monitor (the attendance board in big-screen mode). */
export const wallUrl = (seeded: SeededTeam) =>
	`/teams/${seeded.world.teamId}/events/${seeded.world.eventId}/attendance?session=day&screen=1`;

export const VIEWPORTS = {
	phone: { width: 360, height: 640 },
	desktop: { width: 1280, height: 800 }
} as const;
export type ViewportName = keyof typeof VIEWPORTS;

/** A browser context signed in as `client` (or signed out), at a size, in a language. */
export async function contextFor(
	browser: Browser,
	client: Client | null,
	viewport: ViewportName | { width: number; height: number },
	locale: 'zh-CN' | 'en',
	baseURL: string
) {
	const size = typeof viewport === 'string' ? VIEWPORTS[viewport] : viewport;
	const phone = size.width < 600;
	const state = client ? await client.storageState() : undefined;
	const options: BrowserContextOptions = {
		baseURL,
		viewport: size,
		screen: size,
		isMobile: phone,
		hasTouch: phone,
		// At 1× the software rasteriser paints a quarter of a 2× phone's pixels; CSS sizes are alike.
		deviceScaleFactor: 1,
		locale,
		timezoneId: 'Asia/Shanghai',
		// The language follows Accept-Language unless a cookie says otherwise: drop it.
		storageState: state && {
			...state,
			cookies: state.cookies.filter((c) => !/locale/i.test(c.name))
		}
	};
	return browser.newContext(options);
}
