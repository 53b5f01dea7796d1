// The post-event summary for the college and the community: what the day amounted to, from
// every domain, in counts and totals. Captains only, because the attendance and incident
// queries it reads show other people's figures to captains alone. Incidents appear only as
// counts by severity, never their text.
import type { IncidentSeverity } from '../db/schema';
import { INCIDENT_SEVERITIES } from '$lib/incident-kinds';
import { requireCaptain, type EventRow } from '../events/access';
import { eventRead } from '../events/scope';
import { donationTotals, type CategoryTotal } from '../donations/queries';
import { fundingTotals, listSponsors, type FundingTotals, type Sponsor } from '../funding/queries';
import { getEventHours } from '../attendance/hours';
import { listIncidents } from '../incidents/queries';
import { listPerformanceStates } from '../tasks/performance-states';

export interface EventSummary {
	event: EventRow;
	volunteers: {
		present: number;
		totalMinutes: number;
		rows: {
			userId: string;
			displayName: string;
			groupName: string | null;
			minutes: number;
			isEstimated: boolean;
		}[];
	};
	/** Performances the group leader signed off (DOMAIN.md: checked before the day). */
	performances: { title: string; groupName: string | null }[];
	donations: CategoryTotal[];
	funding: FundingTotals;
	sponsors: Sponsor[];
	incidents: { severity: IncidentSeverity; count: number }[];
}

export const getEventSummary = eventRead(
	async (db, access, { actor, teamId, eventId }): Promise<EventSummary> => {
		requireCaptain(access);
		const hours = await getEventHours(actor, teamId, eventId);
		const performances = await listPerformanceStates(actor, teamId, eventId);
		const { incidents } = await listIncidents(actor, teamId, eventId);
		return {
			event: access.event,
			volunteers: {
				present: hours.rows.length,
				totalMinutes: hours.totalMinutes,
				rows: hours.rows.map((r) => ({
					userId: r.userId,
					displayName: r.displayName,
					groupName: r.groupName,
					minutes: r.minutes,
					isEstimated: r.isEstimated
				}))
			},
			performances: performances
				.filter((p) => p.readiness === 'approved')
				.map((p) => ({ title: p.title, groupName: p.group?.name ?? null })),
			donations: await donationTotals(db, eventId),
			funding: await fundingTotals(db, eventId),
			sponsors: await listSponsors(db, eventId),
			incidents: INCIDENT_SEVERITIES.map((severity) => ({
				severity,
				count: incidents.filter((i) => i.severity === severity).length
			}))
		};
	}
);
