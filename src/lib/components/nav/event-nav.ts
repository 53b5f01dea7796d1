// The pages of an event, and which of them the navigation offers to whom. Hiding a link is
// only navigation: every page and action checks the actor's access on the server.
import type { IconName } from './Icon.svelte';

export type TeamRole = 'captain' | 'leader' | 'volunteer';

/** Path segments after `/teams/<team>/events/<event>` ('' is the overview). */
export type EventPage =
	| ''
	| 'tasks'
	| 'me'
	| 'checkin'
	| 'incidents'
	| 'attendance'
	| 'agenda'
	| 'groups'
	| 'checklist'
	| 'sheet'
	| 'hours'
	| 'donations'
	| 'funding'
	| 'summary'
	| 'contact'
	| 'edit';

export type NavGroup = 'plan' | 'day' | 'after';

export interface NavItem {
	page: EventPage;
	icon: IconName;
	group: NavGroup;
	/** Who is offered the link. */
	for: 'everyone' | 'staff' | 'captain';
}

// In the order of a service day: preparing it, running it, closing it.
export const EVENT_PAGES: readonly NavItem[] = [
	{ page: 'agenda', icon: 'agenda', group: 'plan', for: 'everyone' },
	{ page: 'groups', icon: 'groups', group: 'plan', for: 'everyone' },
	{ page: 'checklist', icon: 'checklist', group: 'plan', for: 'everyone' },
	{ page: 'contact', icon: 'contact', group: 'plan', for: 'captain' },
	// Volunteers pledge donations here; staff record and hand them out.
	{ page: 'donations', icon: 'donations', group: 'plan', for: 'everyone' },
	{ page: 'funding', icon: 'funding', group: 'plan', for: 'staff' },
	{ page: 'edit', icon: 'edit', group: 'plan', for: 'captain' },
	{ page: '', icon: 'overview', group: 'day', for: 'everyone' },
	{ page: 'tasks', icon: 'tasks', group: 'day', for: 'everyone' },
	{ page: 'me', icon: 'myday', group: 'day', for: 'everyone' },
	{ page: 'checkin', icon: 'checkin', group: 'day', for: 'everyone' },
	{ page: 'attendance', icon: 'attendance', group: 'day', for: 'staff' },
	{ page: 'incidents', icon: 'incidents', group: 'day', for: 'everyone' },
	{ page: 'sheet', icon: 'sheet', group: 'day', for: 'everyone' },
	{ page: 'hours', icon: 'hours', group: 'after', for: 'everyone' },
	{ page: 'summary', icon: 'summary', group: 'after', for: 'captain' }
];

/** What a volunteer uses most; leaders and captains swap their own day for the attendance board. */
const PRIMARY: Record<'volunteer' | 'staff', readonly EventPage[]> = {
	volunteer: ['', 'tasks', 'me', 'checkin', 'incidents'],
	staff: ['', 'tasks', 'attendance', 'incidents']
};

export interface EventNav {
	/** On the phone's tab bar (at most five), and first on wide screens. */
	primary: NavItem[];
	/** Everything else, grouped: behind "more" on phones, listed under headings on wide ones. */
	groups: { group: NavGroup; items: NavItem[] }[];
}

export function eventNav(role: TeamRole): EventNav {
	const staff = role === 'captain' || role === 'leader';
	const offered = EVENT_PAGES.filter(
		(item) =>
			item.for === 'everyone' ||
			(item.for === 'staff' && staff) ||
			(item.for === 'captain' && role === 'captain')
	);
	const primaryPages = PRIMARY[staff ? 'staff' : 'volunteer'];
	const primary = primaryPages.flatMap((p) => offered.filter((item) => item.page === p));
	const rest = offered.filter((item) => !primaryPages.includes(item.page));
	const groups = (['plan', 'day', 'after'] as const)
		.map((group) => ({ group, items: rest.filter((item) => item.group === group) }))
		.filter((g) => g.items.length > 0);
	return { primary, groups };
}
