// One sentence per audit entry in the reader's language. Names are the people's current
// display names; a deleted account reads as "deleted user".
import * as m from '$lib/paraglide/messages';
import type { PageData } from './$types';

type Entry = PageData['entries'][number];
type Label = () => string;

const ROLES: Record<string, Label> = {
	captain: m.teams_role_captain,
	leader: m.teams_role_leader,
	volunteer: m.teams_role_volunteer
};
const CATEGORIES: Record<string, Label> = {
	injury: m.incidents_category_injury,
	child_safety: m.incidents_category_child_safety,
	lost_item: m.incidents_category_lost_item,
	conflict: m.incidents_category_conflict,
	venue: m.incidents_category_venue,
	other: m.incidents_category_other
};
const SEVERITIES: Record<string, Label> = {
	low: m.incidents_severity_low,
	medium: m.incidents_severity_medium,
	high: m.incidents_severity_high,
	urgent: m.incidents_severity_urgent
};

function name(person: Entry['actor']): string {
	if (!person) return m.audit_someone();
	return person.displayName ?? m.audit_deleted_user();
}

function label(map: Record<string, Label>, value: unknown): string {
	return typeof value === 'string' && map[value] ? map[value]() : '—';
}

function count(value: unknown): number {
	return typeof value === 'number' ? value : 0;
}

export function describeAudit(entry: Entry): string {
	const actor = name(entry.actor);
	const target = name(entry.targetUser);
	const event = entry.targetEvent?.title ?? m.audit_deleted_event();
	const d = entry.details;
	switch (entry.action) {
		case 'role_changed':
			return m.audit_role_changed({
				actor,
				target,
				from: label(ROLES, d.from),
				to: label(ROLES, d.to)
			});
		case 'member_removed':
			return m.audit_member_removed({ actor, target, released: count(d.releasedSignups) });
		case 'member_left':
			return m.audit_member_left({ actor, released: count(d.releasedSignups) });
		case 'account_deleted':
			return m.audit_account_deleted({ actor, released: count(d.releasedSignups) });
		case 'reset_link_created':
			return m.audit_reset_link_created({ actor, target });
		case 'invite_created':
			return m.audit_invite_created({
				actor,
				role: label(ROLES, d.role),
				uses: count(d.maxUses),
				days: count(d.expiresInDays)
			});
		case 'invite_revoked':
			return m.audit_invite_revoked({ actor, role: label(ROLES, d.role) });
		case 'contact_link_created':
			return m.audit_contact_link_created({ actor, event, days: count(d.validDaysAfter) });
		case 'contact_link_revoked':
			return m.audit_contact_link_revoked({ actor, event });
		case 'incident_acknowledged':
			return m.audit_incident_acknowledged({
				actor,
				event,
				category: label(CATEGORIES, d.category),
				severity: label(SEVERITIES, d.severity)
			});
		case 'incident_resolved':
			return m.audit_incident_resolved({
				actor,
				event,
				category: label(CATEGORIES, d.category),
				severity: label(SEVERITIES, d.severity)
			});
	}
}
