// What a hint carries beside its kinds and ids, shared by the server that makes hints
// (src/lib/server/realtime/hints.ts) and the pages that apply them (live-board.ts). Plain
// TypeScript, no SvelteKit: the benchmark's simulated phones run it in Node.
/** A task's counters after the change: `full` is 1 when no slot is free, else 0. */
export interface TaskCounts {
	taken: number;
	capacity: number;
	waiting: number;
	full: 0 | 1;
}

/**
 * The topic's version after this hint (one more per hint, kept in the database so every
 * instance agrees), or `[first, last]` for hints merged on their way (`HintMerger`).
 */
export type HintVersion = number | [number, number];

const COUNT_FIELDS = ['taken', 'capacity', 'waiting', 'full'] as const;

/**
 * The attendance board's numbers after a check-in or check-out, for the session it changed
 * (`meeting` 1: the mobilization meeting, 0: the day). Per group id: present of expected; under
 * the event's own id: the headline (arrived, late, left, here but in no group).
 */
export interface GroupAttendanceCounts {
	meeting: 0 | 1;
	present: number;
	expected: number;
}

export interface AttendanceTotalsCounts {
	meeting: 0 | 1;
	expected: number;
	arrived: number;
	late: number;
	left: number;
	outside: number;
}

export type AttendanceCounts = GroupAttendanceCounts | AttendanceTotalsCounts;

/** Whatever a hint's `counts` may hold for one id. */
export type HintCounts = TaskCounts | AttendanceCounts;

const GROUP_FIELDS = ['meeting', 'present', 'expected'] as const;
const TOTALS_FIELDS = ['meeting', 'expected', 'arrived', 'late', 'left', 'outside'] as const;

export function taskCounts(taken: number, capacity: number, waiting: number): TaskCounts {
	return { taken, capacity, waiting, full: taken >= capacity ? 1 : 0 };
}

function isCount(value: unknown): value is number {
	return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

/** Exactly these fields, each a whole number ≥ 0 (`flag`, if named, 0 or 1). */
function hasCounts(value: unknown, fields: readonly string[], flag: string): boolean {
	if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
	if (Object.keys(value).length !== fields.length) return false;
	const record = value as Record<string, unknown>;
	return fields.every((key) => isCount(record[key])) && (record[flag] as number) <= 1;
}

export function isTaskCounts(value: unknown): value is TaskCounts {
	return hasCounts(value, COUNT_FIELDS, 'full');
}

export function isGroupAttendanceCounts(value: unknown): value is GroupAttendanceCounts {
	return hasCounts(value, GROUP_FIELDS, 'meeting');
}

export function isAttendanceTotalsCounts(value: unknown): value is AttendanceTotalsCounts {
	return hasCounts(value, TOTALS_FIELDS, 'meeting');
}

export function isHintCounts(value: unknown): value is HintCounts {
	return isTaskCounts(value) || isGroupAttendanceCounts(value) || isAttendanceTotalsCounts(value);
}

/** `[first, last]` of a version, or null when it is not one. */
export function versionRange(version: unknown): [number, number] | null {
	if (isCount(version) && version > 0) return [version, version];
	if (
		Array.isArray(version) &&
		version.length === 2 &&
		isCount(version[0]) &&
		isCount(version[1]) &&
		version[0] > 0 &&
		version[0] <= version[1]
	) {
		return [version[0], version[1]];
	}
	return null;
}

/**
 * A sign-up change's hint (claim, withdrawal, promotion, assignment, capacity): kinds tasks and
 * signups only, with each touched task's new counters. A page that shows no counters (the event
 * overview) has nothing to change for it; any other task hint (a new, edited or deleted task,
 * a readiness step) carries no counters.
 */
export function isSignupDelta(payload: unknown): boolean {
	if (!payload || typeof payload !== 'object') return false;
	const { kinds, counts } = payload as { kinds?: unknown; counts?: unknown };
	return (
		Array.isArray(kinds) &&
		kinds.length > 0 &&
		kinds.every((k) => k === 'tasks' || k === 'signups') &&
		!!counts &&
		typeof counts === 'object' &&
		Object.keys(counts).length > 0 &&
		Object.values(counts).every(isTaskCounts)
	);
}
