// Builds a team with one of everything through the app's own forms (sign-up, invite, event,
// group, run of show, checklist, announcement, donation, ledger, sponsor, incident, task,
// performance item, contact link), and reads the ids back from the pages' data.
import { expect } from '@playwright/test';
import { Client, findObject, idOf, unique } from './http-client';
import type { World } from './route-table';

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
	await captain.signUp(captainName);

	const created = await captain.post('/teams', 'create', { name: `Team ${label} ${tag}` });
	const teamId = idFromLocation(created.location, /\/teams\/([0-9a-f-]{36})$/);
	const team = `/teams/${teamId}`;

	const invited = await ok(
		'invite',
		captain.post(
			team,
			'createInvite',
			{ role: 'volunteer', expiresInDays: '7', maxUses: '5' },
			{ enhanced: true }
		)
	);
	const inviteToken = invited.text.match(/\/invite\/([A-Za-z0-9_-]+)/)?.[1];
	if (!inviteToken) throw new Error(`no invite link in ${invited.text}`);
	const volunteerName = `Volunteer ${label} ${tag}`;
	if (volunteer) {
		await volunteer.signUp(volunteerName);
		const joined = await volunteer.post(`/invite/${inviteToken}`, 'join', {});
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
