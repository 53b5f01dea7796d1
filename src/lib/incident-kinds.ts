// Incident categories and severities. No imports: the database schema (read by drizzle-kit)
// uses them too, and so does the browser (the report form).
export const INCIDENT_CATEGORIES = [
	'injury',
	'child_safety',
	'lost_item',
	'conflict',
	'venue',
	'other'
] as const;
export type IncidentCategory = (typeof INCIDENT_CATEGORIES)[number];

export const INCIDENT_SEVERITIES = ['low', 'medium', 'high', 'urgent'] as const;
export type IncidentSeverity = (typeof INCIDENT_SEVERITIES)[number];
