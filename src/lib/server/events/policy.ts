// Who may do what with an event, and how its status may move. Pure functions.
import type { EventStatus, TeamRole } from '../db/schema';

/** draft → planned → confirmed → completed; anything not yet finished may be cancelled. */
export const TRANSITIONS: Record<EventStatus, readonly EventStatus[]> = {
	draft: ['planned', 'cancelled'],
	planned: ['confirmed', 'cancelled'],
	confirmed: ['completed', 'cancelled'],
	completed: [],
	cancelled: []
};

export function canTransition(from: EventStatus, to: EventStatus): boolean {
	return TRANSITIONS[from].includes(to);
}

/** Drafts are the captains' working copy; the team sees an event once it is planned. */
export function canSeeEvent(role: TeamRole, status: EventStatus): boolean {
	return role === 'captain' || status !== 'draft';
}

export function canManageEvent(role: TeamRole): boolean {
	return role === 'captain';
}

/** A finished or cancelled event is a record: its plan no longer changes. */
export function isOpen(status: EventStatus): boolean {
	return status !== 'completed' && status !== 'cancelled';
}

/** Only these team roles may lead a group (DOMAIN.md: "Leader" means two things that agree). */
export function canLeadGroups(role: TeamRole): boolean {
	return role === 'leader' || role === 'captain';
}
