// Input schemas for the groups of an event. Error messages are message keys.
import { z } from 'zod';
import { requiredText, wholeNumber } from './common';

const age = z
	.union([z.number(), z.string().trim()], { error: 'groups_error_age_invalid' })
	.optional()
	.nullable()
	.transform((v, ctx) => {
		if (v === undefined || v === null || v === '') return null;
		const n = Number(v);
		if (!Number.isInteger(n) || n < 0 || n > 18) {
			ctx.addIssue({ code: 'custom', message: 'groups_error_age_invalid' });
			return z.NEVER;
		}
		return n;
	});

export const groupSchema = z
	.object({
		name: requiredText(40, 'groups_error_name_required', 'groups_error_name_too_long'),
		colour: z
			.string({ error: 'groups_error_colour_invalid' })
			.trim()
			.toLowerCase()
			.regex(/^#[0-9a-f]{6}$/, 'groups_error_colour_invalid'),
		childrenCount: wholeNumber(0, 500, 'groups_error_children_invalid').default(0),
		ageMin: age,
		ageMax: age
	})
	.refine((v) => v.ageMin === null || v.ageMax === null || v.ageMin <= v.ageMax, {
		path: ['ageMax'],
		message: 'groups_error_age_range'
	});

export type GroupInput = z.input<typeof groupSchema>;
