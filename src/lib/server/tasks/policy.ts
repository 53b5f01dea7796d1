// Task rules that need no database. Pure, so they are easy to reason about and test.
import type { Readiness } from '$lib/task-kinds';

/** Captains everywhere; a leader for the tasks of the groups they lead. */
export function canManageTask(
	who: { isCaptain: boolean; ledGroupIds: readonly string[] },
	groupId: string | null
): boolean {
	return who.isCaptain || (groupId !== null && who.ledGroupIds.includes(groupId));
}

// One overlap rule for the server and the live board (which marks overlaps as claims change).
export { overlaps, type Window } from '$lib/board-filter';

// A withdrawal from a slot within 24 hours of the event's start (or after it began) alerts the
// captains: judged in the database, by tongxing_withdraw (supabase/migrations/*_claim_functions.sql).

/**
 * Who may move a performance from one state to the next. Those preparing it (its claimants)
 * move it forward up to "ready for check"; only an approver (the group's leader or a captain)
 * approves it or sends it back to rehearsing.
 */
export function readinessStep(from: Readiness, to: Readiness): 'contributor' | 'approver' | null {
	if (from === 'idea' && to === 'rehearsing') return 'contributor';
	if (from === 'rehearsing' && to === 'ready_for_check') return 'contributor';
	if (from === 'ready_for_check' && to === 'approved') return 'approver';
	if ((from === 'ready_for_check' || from === 'approved') && to === 'rehearsing') return 'approver';
	return null;
}

/** The states one may move to next, for the buttons a person sees. */
export function nextReadiness(
	from: Readiness,
	who: { isContributor: boolean; isApprover: boolean }
): Readiness[] {
	const all: Readiness[] = ['idea', 'rehearsing', 'ready_for_check', 'approved'];
	return all.filter((to) => {
		const step = readinessStep(from, to);
		if (step === 'approver') return who.isApprover;
		if (step === 'contributor') return who.isContributor || who.isApprover;
		return false;
	});
}
