// Every route and action of the app, with who may use it. `tests/unit/route-catalogue.test.ts`
// fails when a route on disk is missing here (or an entry here is gone from disk), so a new
// route cannot ship without its isolation and hostile-input rows.
//
// access (from the domain policy files, `src/lib/server/<domain>/policy.ts` and the commands):
//   public    no session needed (sign-in, links carrying a secret token)
//   signedIn  any signed-in user, about themselves (account, personal calendar, team list)
//   member    any member of the team who may see the event; a non-member gets 404
//   staff     captains, and leaders who lead a group of the event; a plain volunteer gets 403
//   captain   captains only; a volunteer gets 403
//   testHook  only with TONGXING_TEST_HOOKS=1 (404 in production)
// A `staff`/`captain` row whose body names someone else's object (a checklist item not assigned
// to the volunteer, a task they do not prepare) is refused with 403 for that reason.
//
// `body(w)` is a form that would pass validation in the right team, so that a refusal proves
// the authorization check, not the input check. `fields` lists further names the action reads
// (the hostile-input spec posts junk in all of them).

export type Access = 'public' | 'signedIn' | 'member' | 'staff' | 'captain' | 'testHook';

/** Ids and tokens of the seeded world (team A's, unless named otherwise). */
export interface World {
	teamId: string;
	eventId: string;
	taskId: string;
	groupId: string;
	agendaItemId: string;
	checklistItemId: string;
	announcementId: string;
	donationId: string;
	entryId: string;
	sponsorId: string;
	incidentId: string;
	inviteId: string;
	performanceItemId: string;
	captainId: string;
	volunteerId: string;
}

export type Body = Record<string, string | string[]>;

export interface RouteRule {
	access: Access;
	/** A valid form for the action (actions and POST endpoints). */
	body?: (w: World) => Body;
	/** Further field names the action reads, besides those of `body`. */
	fields?: string[];
	/**
	 * The isolation spec skips calling this as a volunteer or an outsider when doing it in the
	 * right team would be harmless only there (leaving the team). Say why.
	 */
	note?: string;
}

/**
 * The fields the phone's outbox adds to a queued command (src/lib/server/outbox): its
 * idempotency key and how long it waited. `tests/unit/route-catalogue.test.ts` fails when an
 * action reading them (`readQueued`) does not list them.
 */
const OUTBOX = ['outboxKey', 'waitedMs'];

const TEAM = '/teams/[teamId=uuid]';
const EVENT = `${TEAM}/events/[eventId=uuid]`;
const TASK = `${EVENT}/tasks/[taskId=uuid]`;

const DAY = '2030-07-20';
const eventFields = {
	title: 'Summer reading day',
	date: DAY,
	startTime: '08:30',
	endTime: '12:00',
	timeZone: 'Asia/Shanghai'
};
const taskFields = {
	kind: 'logistics',
	title: 'Carry the books',
	date: DAY,
	startTime: '08:30',
	endTime: '10:00',
	capacity: '3'
};
const donationFields = {
	category: 'books',
	description: 'Picture books',
	unit: 'books',
	quantity: '10',
	donorKind: 'classmate'
};

export const ROUTES: Record<string, RouteRule> = {
	// Public: sign-in, sign-up and the pages of links that carry their own secret.
	'load /sign-in': { access: 'public' },
	'load /sign-up': { access: 'public' },
	'action /sign-in?/signIn': {
		access: 'public',
		body: () => ({ email: 'nobody@example.test', password: 'wrong-password' }),
		fields: ['redirectTo']
	},
	'action /sign-up?/signUp': {
		access: 'public',
		body: () => ({ email: 'not-an-email', displayName: 'X', password: 'short' }),
		fields: ['phone', 'redirectTo']
	},
	'load /c/[token]': { access: 'public' },
	'action /c/[token]?/confirm': { access: 'public', body: () => ({}) },
	'action /c/[token]?/withdraw': { access: 'public', body: () => ({}) },
	'action /c/[token]?/propose': {
		access: 'public',
		body: () => ({ date: DAY, startTime: '09:00', endTime: '11:00' }),
		fields: ['venue', 'note']
	},
	'GET /c/[token]/calendar.ics': { access: 'public' },
	'load /check-in/[eventId=uuid]': { access: 'public' },
	'action /check-in/[eventId=uuid]?/checkIn': {
		access: 'public',
		body: () => ({ code: '000000', session: 'day' }),
		fields: ['ticket', 'then', ...OUTBOX]
	},
	'load /invite/[token]': { access: 'public' },
	'action /invite/[token]?/join': { access: 'public', body: () => ({}) },
	'load /reset/[token]': { access: 'public' },
	'action /reset/[token]?/reset': { access: 'public', body: () => ({ newPassword: 'x' }) },
	'GET /ics/[token]': { access: 'public' },
	'GET /api/health': { access: 'public' },
	'POST /locale': { access: 'public', body: () => ({ locale: 'en', redirectTo: '/' }) },
	'POST /realtime/v1/api/broadcast': {
		access: 'public',
		note: 'authenticated by the service-role key, never by the cookie (JSON body)'
	},
	'POST /sign-out': { access: 'public', note: 'ends the caller’s own session only' },

	// Signed in, about oneself.
	'load /account': { access: 'signedIn' },
	'action /account?/updateProfile': {
		access: 'signedIn',
		body: () => ({ displayName: 'Me', phone: '' })
	},
	'action /account?/changePassword': {
		access: 'signedIn',
		body: () => ({ currentPassword: 'wrong-password', newPassword: 'another-password' })
	},
	'action /account?/deleteAccount': {
		access: 'signedIn',
		body: () => ({ password: 'not-my-password' }),
		note: 'deletes only the caller’s own account, and only with their password'
	},
	'GET /account/export': { access: 'signedIn' },
	'load /calendar': { access: 'signedIn' },
	'action /calendar?/create': { access: 'signedIn', body: () => ({}) },
	'action /calendar?/revoke': { access: 'signedIn', body: () => ({}) },
	'load /teams': { access: 'signedIn' },
	'action /teams?/create': {
		access: 'signedIn',
		body: () => ({ name: 'A team', description: '' })
	},
	'GET /api/realtime/token': { access: 'signedIn' },

	// Test hooks.
	'GET /api/test/db-digest': { access: 'testHook' },
	'GET /api/test/loop-delay': { access: 'testHook' },
	'POST /api/test/loop-delay': { access: 'testHook' },
	'POST /api/test/realtime-drop': { access: 'testHook' },
	'POST /api/test/realtime-skip-hint': { access: 'testHook' },
	'POST /api/test/sign-up': { access: 'testHook' },

	// A team.
	[`load ${TEAM}`]: { access: 'member' },
	[`action ${TEAM}?/changeRole`]: {
		access: 'captain',
		body: (w) => ({ userId: w.captainId, role: 'volunteer' })
	},
	[`action ${TEAM}?/remove`]: { access: 'captain', body: (w) => ({ userId: w.captainId }) },
	[`action ${TEAM}?/resetLink`]: { access: 'captain', body: (w) => ({ userId: w.captainId }) },
	[`action ${TEAM}?/leave`]: {
		access: 'member',
		body: () => ({}),
		note: 'a volunteer may leave; an outsider gets 404'
	},
	[`action ${TEAM}?/createInvite`]: {
		access: 'staff',
		body: () => ({ role: 'volunteer', expiresInDays: '7', maxUses: '5' }),
		note: 'captains invite anyone, leaders volunteers (teams/policy.ts canInvite)'
	},
	[`action ${TEAM}?/revokeInvite`]: { access: 'staff', body: (w) => ({ inviteId: w.inviteId }) },
	[`load ${TEAM}/audit`]: { access: 'captain' },

	// An event.
	[`load ${TEAM}/events/new`]: { access: 'captain' },
	[`action ${TEAM}/events/new?/create`]: {
		access: 'captain',
		body: () => ({ ...eventFields, useTemplate: 'off' }),
		fields: ['theme', 'communityName', 'venueName', 'expectedChildren', 'childrenPerAdult']
	},
	[`load ${EVENT}`]: { access: 'member' },
	[`action ${EVENT}?/status`]: { access: 'captain', body: () => ({ status: 'confirmed' }) },
	[`action ${EVENT}?/announce`]: {
		access: 'captain',
		body: () => ({ body: 'Bring water' }),
		fields: OUTBOX
	},
	[`action ${EVENT}?/deleteAnnouncement`]: {
		access: 'captain',
		body: (w) => ({ announcementId: w.announcementId })
	},
	[`load ${EVENT}/edit`]: { access: 'captain' },
	[`action ${EVENT}/edit?/update`]: {
		access: 'captain',
		body: () => eventFields,
		fields: ['venueName', 'teacherPhone', 'expectedChildren', 'childrenPerAdult', 'notes']
	},
	[`action ${EVENT}/edit?/copy`]: { access: 'captain', body: () => ({ date: '2030-08-01' }) },
	[`GET ${EVENT}/calendar.ics`]: { access: 'member' },
	[`load ${EVENT}/sheet`]: { access: 'member' },
	[`load ${EVENT}/summary`]: { access: 'captain' },

	// Run of show.
	[`load ${EVENT}/agenda`]: { access: 'member' },
	[`action ${EVENT}/agenda?/add`]: {
		access: 'captain',
		body: (w) => ({
			startTime: '09:00',
			durationMinutes: '30',
			title: 'Songs',
			kind: 'performance',
			groupIds: [w.groupId]
		}),
		fields: ['place']
	},
	[`action ${EVENT}/agenda?/update`]: {
		access: 'captain',
		body: (w) => ({
			itemId: w.agendaItemId,
			startTime: '09:00',
			durationMinutes: '45',
			title: 'Songs',
			kind: 'performance'
		}),
		fields: ['place', 'groupIds']
	},
	[`action ${EVENT}/agenda?/remove`]: {
		access: 'captain',
		body: (w) => ({ itemId: w.agendaItemId })
	},
	[`action ${EVENT}/agenda?/move`]: {
		access: 'captain',
		body: (w) => ({ itemId: w.agendaItemId, direction: 'down' })
	},

	// Attendance and check-in.
	[`load ${EVENT}/attendance`]: { access: 'member' },
	[`GET ${EVENT}/attendance/people`]: { access: 'member' },
	[`action ${EVENT}/attendance?/mark`]: {
		access: 'staff',
		body: (w) => ({ userId: w.captainId, session: 'day' }),
		fields: OUTBOX
	},
	[`action ${EVENT}/attendance?/unmark`]: {
		access: 'staff',
		body: (w) => ({ userId: w.captainId, session: 'day' }),
		fields: OUTBOX
	},
	[`load ${EVENT}/checkin`]: { access: 'member' },
	[`action ${EVENT}/checkin?/checkIn`]: {
		access: 'member',
		body: () => ({ code: '000000', session: 'day' }),
		fields: OUTBOX
	},
	[`action ${EVENT}/checkin?/checkOut`]: {
		access: 'member',
		body: () => ({ session: 'day' }),
		fields: OUTBOX
	},
	[`action ${EVENT}/checkin?/settings`]: {
		access: 'captain',
		body: () => ({
			lateAfterMinutes: '10',
			meetingTime: '19:00',
			escalateAfterMinutes: '5',
			retentionDays: '90'
		})
	},
	[`load ${EVENT}/hours`]: { access: 'member' },
	[`load ${EVENT}/hours/certificate`]: {
		access: 'member',
		note: 'anyone their own; `?userId=` of another member is captains only (403)'
	},
	[`GET ${EVENT}/hours/hours.csv`]: { access: 'staff' },

	// Checklist.
	[`load ${EVENT}/checklist`]: { access: 'member' },
	[`action ${EVENT}/checklist?/add`]: {
		access: 'captain',
		body: () => ({ title: 'Buy paper', daysBefore: '3' })
	},
	[`action ${EVENT}/checklist?/assign`]: {
		access: 'captain',
		body: (w) => ({ itemId: w.checklistItemId, assigneeId: w.volunteerId })
	},
	[`action ${EVENT}/checklist?/done`]: {
		access: 'captain',
		body: (w) => ({ itemId: w.checklistItemId, done: 'true' }),
		note: 'a captain, or the person the item is assigned to (it is not the volunteer’s)'
	},
	[`action ${EVENT}/checklist?/remove`]: {
		access: 'captain',
		body: (w) => ({ itemId: w.checklistItemId })
	},

	// The community contact, from the team's side.
	[`load ${EVENT}/contact`]: { access: 'captain' },
	[`action ${EVENT}/contact?/save`]: {
		access: 'captain',
		body: () => ({ name: 'Ms Wang', phone: '13800000000' }),
		fields: ['organization', 'email', 'needsRoom', 'needsNote', 'showCaptain']
	},
	[`action ${EVENT}/contact?/createLink`]: {
		access: 'captain',
		body: () => ({ validDaysAfter: '30' })
	},
	[`action ${EVENT}/contact?/revokeLink`]: { access: 'captain', body: () => ({}) },
	[`action ${EVENT}/contact?/accept`]: { access: 'captain', body: () => ({}) },
	[`action ${EVENT}/contact?/reply`]: { access: 'captain', body: () => ({ note: 'Thank you' }) },

	// Donations.
	[`load ${EVENT}/donations`]: { access: 'member' },
	[`GET ${EVENT}/donations/donations.csv`]: { access: 'member' },
	[`action ${EVENT}/donations?/pledge`]: {
		access: 'member',
		body: () => donationFields,
		fields: ['donorName']
	},
	[`action ${EVENT}/donations?/record`]: {
		access: 'staff',
		body: () => donationFields,
		fields: ['donorName', 'holderId']
	},
	[`action ${EVENT}/donations?/receive`]: {
		access: 'staff',
		body: (w) => ({ donationId: w.donationId, quantity: '1' })
	},
	[`action ${EVENT}/donations?/distribute`]: {
		access: 'staff',
		body: (w) => ({ donationId: w.donationId, quantity: '1', groupId: w.groupId })
	},
	[`action ${EVENT}/donations?/allocate`]: {
		access: 'staff',
		body: (w) => ({ donationId: w.donationId, groupId: w.groupId, quantity: '2' })
	},
	[`action ${EVENT}/donations?/holder`]: {
		access: 'staff',
		body: (w) => ({ donationId: w.donationId, holderId: w.volunteerId })
	},
	[`action ${EVENT}/donations?/update`]: {
		access: 'staff',
		body: (w) => ({ donationId: w.donationId, ...donationFields }),
		fields: ['donorName']
	},
	[`action ${EVENT}/donations?/withdraw`]: {
		access: 'staff',
		body: (w) => ({ donationId: w.donationId }),
		note: 'staff, or the volunteer who pledged it (this one was recorded by the captain)'
	},

	// Funding: captains keep the ledger; members see totals.
	[`load ${EVENT}/funding`]: { access: 'member' },
	[`GET ${EVENT}/funding/ledger.csv`]: { access: 'captain' },
	[`action ${EVENT}/funding?/addEntry`]: {
		access: 'captain',
		body: () => ({ kind: 'expense:printing', amount: '12.50', occurredOn: DAY }),
		fields: ['direction', 'category', 'note', 'receiptRef']
	},
	[`action ${EVENT}/funding?/deleteEntry`]: {
		access: 'captain',
		body: (w) => ({ entryId: w.entryId })
	},
	[`action ${EVENT}/funding?/budget`]: {
		access: 'captain',
		body: () => ({ direction: 'expense', category: 'gifts', amount: '300' })
	},
	[`action ${EVENT}/funding?/addSponsor`]: {
		access: 'captain',
		body: () => ({ name: 'Bookshop', thanks: 'Thank you' })
	},
	[`action ${EVENT}/funding?/updateSponsor`]: {
		access: 'captain',
		body: (w) => ({ sponsorId: w.sponsorId, name: 'Bookshop 2', thanks: 'Thanks' })
	},
	[`action ${EVENT}/funding?/deleteSponsor`]: {
		access: 'captain',
		body: (w) => ({ sponsorId: w.sponsorId })
	},

	// Groups: captains create, delete and choose leaders; a group's leader edits it.
	[`load ${EVENT}/groups`]: { access: 'member' },
	[`action ${EVENT}/groups?/create`]: {
		access: 'captain',
		body: () => ({ name: 'Group 9', colour: '#1d4ed8', childrenCount: '4' }),
		fields: ['ageMin', 'ageMax']
	},
	[`action ${EVENT}/groups?/update`]: {
		access: 'staff',
		body: (w) => ({ groupId: w.groupId, name: 'Group 1b', colour: '#047857', childrenCount: '5' }),
		fields: ['ageMin', 'ageMax']
	},
	[`action ${EVENT}/groups?/setLeader`]: {
		access: 'captain',
		body: (w) => ({ groupId: w.groupId, leaderId: w.captainId })
	},
	[`action ${EVENT}/groups?/delete`]: { access: 'captain', body: (w) => ({ groupId: w.groupId }) },
	[`action ${EVENT}/groups?/addMember`]: {
		access: 'staff',
		body: (w) => ({ groupId: w.groupId, userId: w.volunteerId })
	},
	[`action ${EVENT}/groups?/removeMember`]: {
		access: 'staff',
		body: (w) => ({ groupId: w.groupId, userId: w.captainId })
	},

	// Incidents: anyone reports; staff acknowledge and resolve.
	[`load ${EVENT}/incidents`]: { access: 'member' },
	[`action ${EVENT}/incidents?/report`]: {
		access: 'member',
		body: (w) => ({
			category: 'venue',
			severity: 'low',
			description: 'The speaker is broken',
			groupId: w.groupId
		}),
		fields: ['place', ...OUTBOX]
	},
	[`action ${EVENT}/incidents?/acknowledge`]: {
		access: 'staff',
		body: (w) => ({ incidentId: w.incidentId })
	},
	[`action ${EVENT}/incidents?/resolve`]: {
		access: 'staff',
		body: (w) => ({ incidentId: w.incidentId, resolution: 'Fixed' })
	},

	// My day (server-rendered, kept live by the event's hints through its narrow read).
	[`load ${EVENT}/me`]: { access: 'member' },
	[`GET ${EVENT}/me/tasks`]: { access: 'member' },
	[`action ${EVENT}/me?/dismiss`]: {
		access: 'member',
		body: (w) => ({ noticeId: w.taskId }),
		note: 'dismisses one’s own notices only (an unknown notice id is 404)'
	},

	// Tasks: members claim; captains, and leaders for their groups' tasks, manage.
	[`load ${EVENT}/tasks`]: { access: 'member' },
	[`GET ${EVENT}/tasks/cards`]: { access: 'member' },
	[`action ${EVENT}/tasks?/claim`]: {
		access: 'member',
		body: (w) => ({ taskId: w.taskId, key: '00000000-0000-4000-8000-000000000001' })
	},
	[`action ${EVENT}/tasks?/withdraw`]: { access: 'member', body: (w) => ({ taskId: w.taskId }) },
	[`action ${EVENT}/tasks?/create`]: {
		access: 'staff',
		body: () => taskFields,
		fields: ['description', 'place', 'groupId', 'agendaItemId', 'signupOpensAt']
	},
	[`action ${EVENT}/tasks?/dismiss`]: {
		access: 'member',
		body: (w) => ({ noticeId: w.taskId }),
		note: 'dismisses one’s own notices only'
	},
	[`load ${TASK}`]: { access: 'member' },
	[`action ${TASK}?/assign`]: { access: 'staff', body: (w) => ({ userId: w.volunteerId }) },
	[`action ${TASK}?/remove`]: { access: 'staff', body: (w) => ({ userId: w.captainId }) },
	[`action ${TASK}?/capacity`]: {
		access: 'staff',
		body: () => ({ capacity: '7' }),
		fields: ['move']
	},
	[`action ${TASK}?/update`]: {
		access: 'staff',
		body: () => ({ ...taskFields, kind: 'performance', title: 'Dragon dance' }),
		fields: ['description', 'place', 'groupId', 'agendaItemId', 'signupOpensAt']
	},
	[`action ${TASK}?/delete`]: { access: 'staff', body: () => ({}) },
	[`action ${TASK}?/readiness`]: {
		access: 'staff',
		body: () => ({ readiness: 'rehearsing' }),
		note: 'those preparing it (its claimants), its group leader or a captain'
	},
	[`action ${TASK}?/addItem`]: {
		access: 'staff',
		body: () => ({ item: 'Red fans' }),
		fields: ['bringerId'],
		note: 'those preparing it, its group leader or a captain'
	},
	[`action ${TASK}?/tickItem`]: {
		access: 'staff',
		body: (w) => ({ itemId: w.performanceItemId, isDone: 'true' })
	},
	[`action ${TASK}?/removeItem`]: {
		access: 'staff',
		body: (w) => ({ itemId: w.performanceItemId })
	},
	[`action ${TASK}?/rehearsal`]: {
		access: 'staff',
		body: () => ({ date: '2030-07-10', note: 'Went well' })
	}
};

/** The field names an action reads: those of its valid body and the further ones listed. */
export function fieldNames(rule: RouteRule, w: World): string[] {
	return [...new Set([...Object.keys(rule.body?.(w) ?? {}), ...(rule.fields ?? [])])];
}
