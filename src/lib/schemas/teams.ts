// Input schemas for teams, shared by browser and server. Error messages are message keys.
import { z } from 'zod';
import { wholeNumber } from './common';

export const teamNameSchema = z
	.string()
	.trim()
	.min(1, 'teams_error_name_required')
	.max(80, 'teams_error_name_too_long');

export const createTeamSchema = z.object({
	name: teamNameSchema,
	description: z
		.string()
		.trim()
		.max(500, 'teams_error_description_too_long')
		.optional()
		.transform((v) => (v ? v : null))
});

export const roleSchema = z.enum(['captain', 'leader', 'volunteer'], {
	error: 'teams_error_role_invalid'
});

export const createInviteSchema = z.object({
	role: roleSchema.default('volunteer'),
	expiresInDays: wholeNumber(1, 30, 'teams_error_expiry_invalid').default(7),
	maxUses: wholeNumber(1, 1000, 'teams_error_max_uses_invalid').default(50)
});

export type CreateTeamInput = z.input<typeof createTeamSchema>;
export type CreateInviteInput = z.input<typeof createInviteSchema>;
