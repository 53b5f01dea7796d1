// Incident reads. Visible to the team's captains, the event's group leaders and the reporter;
// text past its retention reads as erased even before the sweep has run.
import { and, asc, desc, eq } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { getDb } from '../db';
import {
	eventGroups,
	incidents,
	teamMembers,
	users,
	type IncidentCategory,
	type IncidentSeverity,
	type IncidentStatus
} from '../db/schema';
import { displayNameOf } from '../db/display-name';
import type { Actor } from '../teams/types';
import { requireDayAccess, settingsOrDefaults } from '../attendance/staff';
import { sessionTimes } from '../attendance/queries';
import { alertsViewer, erasesAt, escalatesAt, isEscalated } from './policy';
import { sweepExpiredText } from './commands';

export interface IncidentView {
	id: string;
	category: IncidentCategory;
	severity: IncidentSeverity;
	status: IncidentStatus;
	description: string | null;
	place: string | null;
	resolution: string | null;
	isErased: boolean;
	groupName: string | null;
	reporterName: string | null;
	isMine: boolean;
	/** Received; `reportedAt` is when the reporter pressed send (earlier when queued offline). */
	createdAt: Date;
	reportedAt: Date;
	acknowledgedAt: Date | null;
	acknowledgedByName: string | null;
	resolvedAt: Date | null;
	resolvedByName: string | null;
	isEscalated: boolean;
}

/** Someone the alert offers to call: never the viewer themselves. */
export interface AlertContact {
	name: string;
	phone: string | null;
}

/** An open incident as the staff's alert shows it (staff may see members' phones). */
export interface AlertView {
	id: string;
	category: IncidentCategory;
	severity: IncidentSeverity;
	description: string | null;
	place: string | null;
	groupName: string | null;
	createdAt: Date;
	reportedAt: Date;
	timeZone: string;
	isEscalated: boolean;
	reporter: AlertContact | null;
	leader: AlertContact | null;
}

export async function listIncidents(
	actor: Actor,
	teamId: string,
	eventId: string,
	now: Date = new Date()
) {
	const db = getDb();
	const access = await requireDayAccess(db, actor, teamId, eventId);
	await sweepExpiredText(now, db);
	const settings = await settingsOrDefaults(db, eventId);
	const { endsAt } = sessionTimes(access.event, 'day', settings.meetingTime);
	const isTextGone = now >= erasesAt(endsAt, settings.retentionDays);
	const reporter = alias(users, 'reporter');
	const leader = alias(users, 'leader');
	const rows = await db
		.select({
			incident: incidents,
			groupName: eventGroups.name,
			reporterName: reporter.displayName,
			reporterPhone: reporter.phone,
			leaderId: leader.id,
			leaderName: leader.displayName,
			leaderPhone: leader.phone,
			acknowledgedByName: displayNameOf(incidents.acknowledgedBy),
			resolvedByName: displayNameOf(incidents.resolvedBy)
		})
		.from(incidents)
		.leftJoin(eventGroups, eq(eventGroups.id, incidents.groupId))
		.leftJoin(leader, eq(leader.id, eventGroups.leaderId))
		.leftJoin(reporter, eq(reporter.id, incidents.reporterId))
		.where(
			access.isStaff
				? eq(incidents.eventId, eventId)
				: and(eq(incidents.eventId, eventId), eq(incidents.reporterId, actor.userId))
		)
		.orderBy(desc(incidents.createdAt), desc(incidents.id))
		.limit(500);
	const list: IncidentView[] = rows.map(({ incident: i, ...names }) => {
		// Contact details are for the alert below, which only staff receive.
		const isErased = isTextGone || i.erasedAt !== null;
		return {
			id: i.id,
			category: i.category,
			severity: i.severity,
			status: i.status,
			description: isErased ? null : i.description,
			place: isErased ? null : i.place,
			resolution: isErased ? null : i.resolution,
			isErased,
			groupName: names.groupName,
			reporterName: access.isStaff || i.reporterId === actor.userId ? names.reporterName : null,
			isMine: i.reporterId === actor.userId,
			createdAt: i.createdAt,
			reportedAt: i.reportedAt,
			acknowledgedAt: i.acknowledgedAt,
			acknowledgedByName: names.acknowledgedByName,
			resolvedAt: i.resolvedAt,
			resolvedByName: names.resolvedByName,
			isEscalated: isEscalated(i, settings.escalateAfterMinutes, now)
		};
	});
	const viewer = { isCaptain: access.isCaptain, isLeader: access.isStaff && !access.isCaptain };
	const contact = (
		id: string | null,
		name: string | null,
		phone: string | null
	): AlertContact | null =>
		name === null ? null : { name, phone: id === actor.userId ? null : phone };
	const alerts: AlertView[] = list
		.filter((i) => alertsViewer(viewer, i, settings.escalateAfterMinutes, now))
		.map((i) => {
			const row = rows.find((r) => r.incident.id === i.id);
			return {
				id: i.id,
				category: i.category,
				severity: i.severity,
				description: i.description,
				place: i.place,
				groupName: i.groupName,
				createdAt: i.createdAt,
				reportedAt: i.reportedAt,
				timeZone: access.event.timeZone,
				isEscalated: i.isEscalated,
				reporter: row
					? contact(row.incident.reporterId, row.reporterName, row.reporterPhone)
					: null,
				leader: row ? contact(row.leaderId, row.leaderName, row.leaderPhone) : null
			};
		});
	// Leaders' pages reload when the next open incident escalates: derived, not pushed.
	const pending = list
		.filter((i) => i.status === 'open' && !i.isEscalated)
		.map((i) => escalatesAt(i.createdAt, settings.escalateAfterMinutes).getTime());
	const hasUrgent = alerts.some((i) => i.severity === 'urgent');
	return {
		event: access.event,
		isStaff: access.isStaff,
		isCaptain: access.isCaptain,
		incidents: list,
		alerts,
		nextEscalationAt: pending.length > 0 ? new Date(Math.min(...pending)) : null,
		// For an urgent alert, the captains to call: never the viewer (a captain calling themselves).
		captains: hasUrgent ? await otherCaptains(teamId, actor.userId) : [],
		escalateAfterMinutes: settings.escalateAfterMinutes,
		retentionDays: settings.retentionDays,
		erasesAt: erasesAt(endsAt, settings.retentionDays),
		groups: await db
			.select({ id: eventGroups.id, name: eventGroups.name })
			.from(eventGroups)
			.where(eq(eventGroups.eventId, eventId))
	};
}

async function otherCaptains(teamId: string, viewerId: string) {
	const rows = await getDb()
		.select({ userId: users.id, displayName: users.displayName, phone: users.phone })
		.from(teamMembers)
		.innerJoin(users, eq(users.id, teamMembers.userId))
		.where(and(eq(teamMembers.teamId, teamId), eq(teamMembers.role, 'captain')))
		.orderBy(asc(users.displayName));
	return rows
		.filter((c) => c.userId !== viewerId && c.phone)
		.map((c) => ({ displayName: c.displayName, phone: c.phone as string }));
}

/** What the alert banner on the staff's day pages needs; nothing for volunteers. */
export async function getAlerts(
	actor: Actor,
	teamId: string,
	eventId: string,
	now: Date = new Date()
) {
	const page = await listIncidents(actor, teamId, eventId, now);
	return {
		isStaff: page.isStaff,
		alerts: page.alerts,
		captains: page.captains,
		nextEscalationAt: page.nextEscalationAt
	};
}
