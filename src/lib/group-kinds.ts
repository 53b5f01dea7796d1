// The colours a group may take. No imports: the browser uses them (the groups page), and
// importing them from $lib/schemas/groups would ship zod to it.
export const GROUP_COLOURS = [
	'#b2400b',
	'#1d4ed8',
	'#047857',
	'#7c3aed',
	'#be123c',
	'#a16207',
	'#0e7490',
	'#4d7c0f'
] as const;
