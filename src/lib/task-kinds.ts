// Task kinds and performance readiness. No imports: the database schema (read by drizzle-kit)
// uses them too, and so does the browser.
export const TASK_KINDS = [
	'performance',
	'tutoring',
	'donation',
	'publicity',
	'logistics',
	'support',
	'other'
] as const;
export type TaskKind = (typeof TASK_KINDS)[number];

/** idea → rehearsing → ready for check → approved (approval by the group's leader or a captain). */
export const READINESS = ['idea', 'rehearsing', 'ready_for_check', 'approved'] as const;
export type Readiness = (typeof READINESS)[number];

/** Active sign-ups hold a slot or a place in line; the others are kept as history. */
export const SIGNUP_STATUSES = ['claimed', 'waiting', 'withdrawn', 'removed'] as const;
export type SignupStatus = (typeof SIGNUP_STATUSES)[number];

export const NOTICE_KINDS = [
	'promoted',
	'assigned',
	'removed',
	'moved_to_waitlist',
	'late_withdrawal'
] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];
