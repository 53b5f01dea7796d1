// Input schemas for incident reports. Error messages are message keys.
import { z } from 'zod';
import { UUID_PATTERN, requiredText } from './common';
import { INCIDENT_CATEGORIES, INCIDENT_SEVERITIES } from '$lib/incident-kinds';

export const incidentSchema = z.object({
	category: z.enum(INCIDENT_CATEGORIES, { error: 'incidents_error_category' }),
	severity: z.enum(INCIDENT_SEVERITIES, { error: 'incidents_error_severity' }),
	description: requiredText(
		2000,
		'incidents_error_description_required',
		'incidents_error_description_too_long'
	),
	place: z
		.string()
		.trim()
		.max(120, 'incidents_error_place_too_long')
		.optional()
		.transform((v) => v || null),
	groupId: z
		.string()
		.trim()
		.optional()
		.transform((v) => v || null)
		.pipe(z.string().regex(UUID_PATTERN, 'error_invalid').nullable())
});
export type IncidentInput = z.input<typeof incidentSchema>;

export const resolutionSchema = requiredText(
	2000,
	'incidents_error_resolution_required',
	'incidents_error_resolution_too_long'
);
