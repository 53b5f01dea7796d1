// The kinds of run-of-show item. No imports: the database schema (read by drizzle-kit) uses it too.
export const AGENDA_KINDS = [
	'arrival',
	'setup',
	'meet',
	'performance',
	'tutoring',
	'safety',
	'crafts',
	'support',
	'photo',
	'gifts',
	'break',
	'other'
] as const;
export type AgendaKind = (typeof AGENDA_KINDS)[number];
