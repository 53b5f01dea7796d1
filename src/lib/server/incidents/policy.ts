// Incident rules that need no database: the state machine, escalation and text retention are
// all derived from timestamps when read, so no timer in one process has to be running.
import type { IncidentStatus } from '../db/schema';

export const INCIDENT_TRANSITIONS: Record<IncidentStatus, readonly IncidentStatus[]> = {
	open: ['acknowledged'],
	acknowledged: ['resolved'],
	resolved: []
};

export function canMove(from: IncidentStatus, to: IncidentStatus): boolean {
	return INCIDENT_TRANSITIONS[from].includes(to);
}

/** Unacknowledged for the set minutes: the alert goes to every leader of the event too. */
export function isEscalated(
	incident: { status: IncidentStatus; createdAt: Date },
	escalateAfterMinutes: number,
	now: Date
): boolean {
	return (
		incident.status === 'open' &&
		now.getTime() - incident.createdAt.getTime() >= escalateAfterMinutes * 60_000
	);
}

export function escalatesAt(createdAt: Date, escalateAfterMinutes: number): Date {
	return new Date(createdAt.getTime() + escalateAfterMinutes * 60_000);
}

/** The free text goes the set number of days after the event's end; counts stay. */
export function erasesAt(eventEnd: Date, retentionDays: number): Date {
	return new Date(eventEnd.getTime() + retentionDays * 24 * 3600_000);
}

/** Alerts: captains for every open incident, leaders once it has escalated. */
export function alertsViewer(
	viewer: { isCaptain: boolean; isLeader: boolean },
	incident: { status: IncidentStatus; createdAt: Date },
	escalateAfterMinutes: number,
	now: Date
): boolean {
	if (incident.status !== 'open') return false;
	if (viewer.isCaptain) return true;
	return viewer.isLeader && isEscalated(incident, escalateAfterMinutes, now);
}
