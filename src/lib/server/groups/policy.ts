// Group rules that need no database. Pure, so they are easy to reason about and test.

export type GroupWarning = 'no_leader' | 'leader_role' | 'ratio';

export interface GroupCounts {
	leaderId: string | null;
	/** The leader's team role still allows leading (leader or captain). */
	leaderCanLead: boolean;
	memberIds: readonly string[];
	childrenCount: number;
}

/** The adults of a group: its members and its leader, counted once. */
export function adultsOf(group: Pick<GroupCounts, 'leaderId' | 'memberIds'>): number {
	const adults = new Set(group.memberIds);
	if (group.leaderId) adults.add(group.leaderId);
	return adults.size;
}

/** No leader; a leader whose team role no longer allows it; fewer adults than the ratio needs. */
export function groupWarnings(group: GroupCounts, childrenPerAdult: number): GroupWarning[] {
	const warnings: GroupWarning[] = [];
	if (!group.leaderId) warnings.push('no_leader');
	else if (!group.leaderCanLead) warnings.push('leader_role');
	if (group.childrenCount > adultsOf(group) * childrenPerAdult) warnings.push('ratio');
	return warnings;
}
