// People and teams for the e2e journeys, in one place. In a browser: accounts made through
// the test hook (POST /api/test/sign-up, TONGXING_TEST_HOOKS=1, which runs the sign-up form's
// own domain command and sets the session cookie on the page's context) for journeys that do
// not test signing up, the sign-up form itself for those that do, and the captain's invite
// link, joining by it and the new-event form. Over HTTP: a team with one of everything, made
// through the app's own forms, its ids read back from the pages' data.
import {
	expect,
	test,
	type Browser,
	type BrowserContextOptions,
	type Page
} from '@playwright/test';
import { expectAccessible } from './axe';
import { Client, PASSWORD, findObject, idOf, unique } from './http-client';
import { hydrated } from './hydrated';
import type { World } from './route-table';

export { PASSWORD };

export interface SeededPerson {
	id: string;
	email: string;
}

/** Signs `page`'s context in as a new account named `name` (the page itself stays where it is). */
export async function signUpAs(
	page: Page,
	name: string,
	options: { email?: string; phone?: string; password?: string } = {}
): Promise<SeededPerson> {
	const email = options.email ?? `${unique()}@example.test`;
	const form: Record<string, string> = {
		email,
		displayName: name,
		password: options.password ?? PASSWORD
	};
	if (options.phone) form.phone = options.phone;
	// As the browser would post it: with its Origin (the app refuses cross-site form posts).
	const origin = new URL(test.info().project.use.baseURL ?? page.url()).origin;
	const res = await page.request.post('/api/test/sign-up', {
		form,
		headers: { origin },
		failOnStatusCode: false
	});
	expect(res.status(), `the sign-up test hook for ${name}: ${await res.text()}`).toBe(200);
	const { id } = (await res.json()) as { id: string };
	expect(id, `the id of ${name}`).toMatch(/^[0-9a-f-]{36}$/);
	return { id, email };
}

/** A new browser context signed in as `name` (the test hook), on /teams, hydrated. */
export async function signedInPage(
	browser: Browser,
	name: string,
	options: { phone?: string; context?: BrowserContextOptions } = {}
): Promise<Page> {
	const page = await (await browser.newContext(options.context)).newPage();
	await signUpAs(page, name, { phone: options.phone });
	await page.goto('/teams');
	await hydrated(page);
	return page;
}

/** Fills the sign-up form the page shows and sends it. */
export async function fillSignUp(page: Page, name: string, email = `${unique()}@example.test`) {
	await page.getByLabel('邮箱').fill(email);
	await page.getByLabel('称呼').fill(name);
	await page.getByLabel('密码').fill(PASSWORD);
	await page.getByRole('button', { name: '创建账号' }).click();
}

/** A new browser context that signs up through the form at /sign-up and lands on /teams. */
export async function signUpThroughForm(
	browser: Browser,
	name: string,
	email = `${unique()}@example.test`,
	options: { isAccessibilityChecked?: boolean } = {}
): Promise<Page> {
	const page = await (await browser.newContext()).newPage();
	await page.goto('/sign-up');
	if (options.isAccessibilityChecked) await expectAccessible(page);
	await fillSignUp(page, name, email);
	await expect(page).toHaveURL(/\/teams$/);
	return page;
}

/** On /teams: creates a team named `name` and lands on its page. */
export async function createTeam(page: Page, name: string) {
	await page.getByLabel('服务队名称').fill(name);
	await page.getByRole('button', { name: '创建', exact: true }).click();
	await expect(page).toHaveURL(/\/teams\/[0-9a-f-]{36}$/);
}

/** On the team page: a new single-use invite link for `role`. */
export async function inviteLink(captain: Page, role: 'leader' | 'volunteer'): Promise<string> {
	await captain.getByLabel('加入后的角色').selectOption(role);
	await captain.getByLabel('最多使用次数（1–1000）').fill('1');
	const url = captain.getByTestId('invite-url');
	const before = (await url.count()) > 0 ? await url.inputValue() : '';
	await captain.getByRole('button', { name: '生成邀请链接' }).click();
	await expect(url).toHaveValue(/\/invite\//);
	await expect(url).not.toHaveValue(before);
	return url.inputValue();
}

/** Opens an invite link and joins; the page ends on the team's page. */
export async function joinByLink(page: Page, inviteUrl: string) {
	await page.goto(inviteUrl);
	await page.getByRole('button', { name: '加入', exact: true }).click();
	await expect(page).toHaveURL(/\/teams\/[0-9a-f-]{36}$/);
}

/** A second person signs up (the test hook), opens the invite link and joins the team. */
export async function joinAs(
	browser: Browser,
	inviteUrl: string,
	name: string,
	options: { phone?: string; context?: BrowserContextOptions } = {}
): Promise<Page> {
	const page = await signedInPage(browser, name, options);
	await joinByLink(page, inviteUrl);
	return page;
}

/**
 * A captain (signed in through the test hook) on the page of a new team named `team`, and one
 * page per `[role, name]` of a member who joined by a single-use link.
 */
export async function teamWithMembers(
	browser: Browser,
	team: string,
	members: [role: 'leader' | 'volunteer', name: string][]
): Promise<{ captain: Page; members: Page[] }> {
	const captain = await signedInPage(browser, '林晓');
	await createTeam(captain, team);
	const pages: Page[] = [];
	for (const [role, name] of members) {
		pages.push(await joinAs(browser, await inviteLink(captain, role), name));
	}
	return { captain, members: pages };
}

/** From the team page: opens the new-event form and creates the event; returns its URL. */
export async function newEvent(captain: Page, event: NewEvent): Promise<string> {
	await captain.getByRole('link', { name: '新建活动' }).click();
	await hydrated(captain);
	return fillNewEvent(captain, event);
}

/** On a draft event's page: publishes it to the team. */
export async function publishEvent(captain: Page) {
	await captain.getByRole('button', { name: '发布给全队' }).click();
	await expect(captain.getByText('活动状态已更新。')).toBeVisible();
}

/** The plainest service day: 20 July 2030, 08:30 to noon, without the template. */
export const JULY_MORNING = { date: '2030-07-20', endTime: '12:00', template: false } as const;

export interface NewEvent {
	title: string;
	date: string;
	startTime?: string;
	endTime?: string;
	/** More fields of the form, by label. */
	fields?: Record<string, string>;
	/** false: without the service-day template (it is on by default). */
	template?: false;
}

/** On the new-event page: fills the form and creates the event; returns the event's URL. */
export async function fillNewEvent(page: Page, event: NewEvent): Promise<string> {
	await page.getByLabel('活动名称').fill(event.title);
	await page.getByLabel('日期', { exact: true }).fill(event.date);
	await page.getByLabel('开始时间').fill(event.startTime ?? '08:30');
	await page.getByLabel('结束时间').fill(event.endTime ?? '12:30');
	for (const [label, value] of Object.entries(event.fields ?? {})) {
		await page.getByLabel(label).fill(value);
	}
	if (event.template === false) {
		await page.getByRole('checkbox', { name: /服务日模板/ }).uncheck();
	}
	await page.getByRole('button', { name: '创建活动' }).click();
	await expect(page).toHaveURL(/\/events\/[0-9a-f-]{36}$/);
	return page.url();
}

export interface SeededTeam {
	captain: Client;
	world: World;
	/** Secrets of links, for the public routes. */
	tokens: { invite: string; contact: string };
}

const DAY = '2030-07-20';

async function ok(label: string, outcome: Promise<{ status: number; text: string }>) {
	const res = await outcome;
	expect(res.status, `${label}: ${res.text.slice(0, 300)}`).toBeLessThan(400);
	return res;
}

function idFromLocation(location: string | undefined, pattern: RegExp): string {
	const match = location?.match(pattern);
	if (!match) throw new Error(`no id in ${location}`);
	return match[1];
}

/** A team whose captain is signed in as `captain`; `volunteer` (if given) joins it. */
export async function seedTeam(
	origin: string,
	label: string,
	volunteer?: Client
): Promise<SeededTeam> {
	const tag = unique();
	const captain = await Client.open(origin);
	const captainName = `Captain ${label} ${tag}`;
	await captain.signUp({ name: captainName });

	const teamId = await captain.createTeam(`Team ${label} ${tag}`);
	const team = `/teams/${teamId}`;

	const inviteToken = await captain.createInvite(teamId, { expiresInDays: '7', maxUses: '5' });
	const volunteerName = `Volunteer ${label} ${tag}`;
	if (volunteer) {
		await volunteer.signUp({ name: volunteerName });
		const joined = await volunteer.join(inviteToken);
		expect(joined.location, 'joining by the invite').toBe(team);
	}
	const teamData = await captain.pageData(team);
	const captainId = idOf(teamData, captainName, 'userId');
	const volunteerId = volunteer ? idOf(teamData, volunteerName, 'userId') : captainId;
	const invite = findObject(teamData, (o) => typeof o.id === 'string' && 'maxUses' in o);
	const inviteId = String(invite?.id);

	const newEvent = await captain.post(`${team}/events/new`, 'create', {
		title: `Reading day ${label}`,
		date: DAY,
		startTime: '08:30',
		endTime: '12:00',
		timeZone: 'Asia/Shanghai'
	});
	const eventId = idFromLocation(newEvent.location, /\/events\/([0-9a-f-]{36})$/);
	const event = `${team}/events/${eventId}`;
	await ok('publish', captain.post(event, 'status', { status: 'planned' }, { enhanced: true }));

	const post = (path: string, name: string, body: Record<string, string>) =>
		ok(`${path}?/${name}`, captain.post(`${event}${path}`, name, body, { enhanced: true }));

	await post('/groups', 'create', { name: `G1 ${tag}`, colour: '#b2400b', childrenCount: '6' });
	const groupId = idOf(await captain.pageData(`${event}/groups`), `G1 ${tag}`);
	await post('/groups', 'addMember', { groupId, userId: captainId });

	await post('/agenda', 'add', {
		startTime: '09:00',
		durationMinutes: '30',
		title: `Opening ${tag}`,
		kind: 'other'
	});
	const agendaItemId = idOf(await captain.pageData(`${event}/agenda`), `Opening ${tag}`);

	await post('/checklist', 'add', { title: `Posters ${tag}`, daysBefore: '3' });
	const checklistItemId = idOf(await captain.pageData(`${event}/checklist`), `Posters ${tag}`);

	await post('', 'announce', { body: `Meet at eight ${tag}` });
	const announcementId = idOf(await captain.pageData(event), `Meet at eight ${tag}`);

	await post('/donations', 'record', {
		category: 'books',
		description: `Story books ${tag}`,
		unit: 'books',
		quantity: '20',
		donorKind: 'college'
	});
	const donationId = idOf(await captain.pageData(`${event}/donations`), `Story books ${tag}`);

	await post('/funding', 'addEntry', {
		kind: 'expense:printing',
		amount: '35.20',
		occurredOn: '2030-07-01',
		note: `Posters printed ${tag}`
	});
	await post('/funding', 'addSponsor', { name: `Bookshop ${tag}`, thanks: 'Thank you' });
	const fundingData = await captain.pageData(`${event}/funding`);
	const entryId = idOf(fundingData, `Posters printed ${tag}`);
	const sponsorId = idOf(fundingData, `Bookshop ${tag}`);

	await post('/incidents', 'report', {
		category: 'venue',
		severity: 'low',
		description: `The speaker is broken ${tag}`
	});
	const incidentId = idOf(
		await captain.pageData(`${event}/incidents`),
		`The speaker is broken ${tag}`
	);

	await post('/tasks', 'create', {
		kind: 'performance',
		title: `Dragon dance ${tag}`,
		date: DAY,
		startTime: '09:30',
		endTime: '10:00',
		capacity: '4',
		groupId
	});
	const taskId = idOf(await captain.pageData(`${event}/tasks`), `Dragon dance ${tag}`);
	await ok(
		'performance item',
		captain.post(`${event}/tasks/${taskId}`, 'addItem', { item: `Fans ${tag}` }, { enhanced: true })
	);
	const performanceItemId = idOf(await captain.pageData(`${event}/tasks/${taskId}`), `Fans ${tag}`);

	await post('/contact', 'save', { name: 'Ms Wang', phone: '13800000000' });
	const link = await post('/contact', 'createLink', { validDaysAfter: '30' });
	const contactToken = link.text.match(/\/c\/([A-Za-z0-9_-]+)/)?.[1];
	if (!contactToken) throw new Error(`no contact link in ${link.text}`);

	return {
		captain,
		tokens: { invite: inviteToken, contact: contactToken },
		world: {
			teamId,
			eventId,
			taskId,
			groupId,
			agendaItemId,
			checklistItemId,
			announcementId,
			donationId,
			entryId,
			sponsorId,
			incidentId,
			inviteId,
			performanceItemId,
			captainId,
			volunteerId
		}
	};
}
