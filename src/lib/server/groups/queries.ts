import { and, asc, eq, inArray } from 'drizzle-orm';
import { eventGroups, groupMembers, type TeamRole } from '../db/schema';
import { teamRoster } from '../teams/queries';
import { ownedRow } from '../owned-row';
import { type EventRow } from '../events/access';
import { eventRead } from '../events/scope';
import { canLeadGroups, isOpen } from '../events/policy';
import { adultsOf, groupWarnings, type GroupWarning } from './policy';

/** A group of the event, else `NotFound`: an id of another event's group reads as not found. */
export const requireGroup = ownedRow(eventGroups, eventGroups.eventId, 'groups_error_not_found');

export interface GroupView {
	id: string;
	name: string;
	colour: string;
	childrenCount: number;
	ageMin: number | null;
	ageMax: number | null;
	leader: { userId: string; displayName: string; phone: string | null } | null;
	members: { userId: string; displayName: string }[];
	adults: number;
	warnings: GroupWarning[];
	/** The viewer may edit this group and its members. */
	canEdit: boolean;
	/** Whom the viewer may add: members in no group and leading none. */
	memberOptions: { userId: string; displayName: string }[];
}

export interface GroupsPage {
	event: EventRow;
	isCaptain: boolean;
	isOpen: boolean;
	groups: GroupView[];
	/** Team members in no group of this event, leading none (for those who may add members). */
	unassigned: { userId: string; displayName: string }[];
	/** Members who may lead a group (captains choose leaders). */
	leaderCandidates: { userId: string; displayName: string }[];
}

export const listGroups = eventRead(
	async (db, access, { actor, teamId, eventId }): Promise<GroupsPage> => {
		const open = isOpen(access.event.status);
		const team = await teamRoster(db, teamId, 'name');
		const byId = new Map(team.map((m) => [m.userId, m]));
		const groups = await db
			.select()
			.from(eventGroups)
			.where(eq(eventGroups.eventId, eventId))
			.orderBy(asc(eventGroups.createdAt), asc(eventGroups.id));
		const members =
			groups.length === 0
				? []
				: await db
						.select({ groupId: groupMembers.groupId, userId: groupMembers.userId })
						.from(groupMembers)
						.where(
							and(
								eq(groupMembers.eventId, eventId),
								inArray(
									groupMembers.groupId,
									groups.map((g) => g.id)
								)
							)
						);
		const myGroup = members.find((m) => m.userId === actor.userId)?.groupId;
		const seesPhones = access.role === 'captain' || access.role === 'leader';

		// A group's leader is in the group they lead: neither unassigned nor offered as a member.
		const assigned = new Set([
			...members.map((m) => m.userId),
			...groups.map((g) => g.leaderId).filter((id) => id !== null)
		]);
		const free = team.filter((m) => !assigned.has(m.userId));

		const views = groups.map((group): GroupView => {
			const memberIds = members.filter((m) => m.groupId === group.id).map((m) => m.userId);
			const leader = group.leaderId ? byId.get(group.leaderId) : undefined;
			const leaderRole: TeamRole | undefined = leader?.role;
			const canEdit =
				open &&
				(access.isCaptain || (canLeadGroups(access.role) && group.leaderId === actor.userId));
			return {
				id: group.id,
				name: group.name,
				colour: group.colour,
				childrenCount: group.childrenCount,
				ageMin: group.ageMin,
				ageMax: group.ageMax,
				// DOMAIN.md: volunteers see the phone of their own group's leader.
				leader: leader
					? {
							userId: leader.userId,
							displayName: leader.displayName,
							phone: seesPhones || myGroup === group.id ? leader.phone : null
						}
					: null,
				members: memberIds
					.map((id) => byId.get(id))
					.filter((m) => m !== undefined)
					.map((m) => ({ userId: m.userId, displayName: m.displayName })),
				adults: adultsOf({ leaderId: group.leaderId, memberIds }),
				warnings: groupWarnings(
					{
						leaderId: group.leaderId,
						leaderCanLead: leaderRole ? canLeadGroups(leaderRole) : false,
						memberIds,
						childrenCount: group.childrenCount
					},
					access.event.childrenPerAdult
				),
				canEdit,
				memberOptions: canEdit
					? free.map((m) => ({ userId: m.userId, displayName: m.displayName }))
					: []
			};
		});
		const mayAdd = open && (access.isCaptain || views.some((g) => g.canEdit));
		return {
			event: access.event,
			isCaptain: access.isCaptain,
			isOpen: open,
			groups: views,
			unassigned: mayAdd
				? team
						.filter((m) => !assigned.has(m.userId))
						.map((m) => ({ userId: m.userId, displayName: m.displayName }))
				: [],
			leaderCandidates: access.isCaptain
				? team
						.filter((m) => canLeadGroups(m.role))
						.map((m) => ({ userId: m.userId, displayName: m.displayName }))
				: []
		};
	}
);
