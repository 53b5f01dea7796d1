// Input schemas for the community contact: the team's record of them, the link, the contact's
// proposal and the team's reply. Error messages are message keys.
import { z } from 'zod';
import { requiredText } from './common';
import { minutesOf } from '$lib/time';
import { dateSchema, optionalText, timeSchema } from './events';

/** An unticked checkbox sends nothing; a ticked one sends "on". */
const checkbox = z
	.union([z.boolean(), z.string()])
	.optional()
	.transform((v) => v === true || v === 'on' || v === 'true');

export const contactSchema = z.object({
	name: requiredText(60, 'contact_error_name_required', 'contact_error_text_too_long'),
	organization: optionalText(120, 'contact_error_text_too_long'),
	phone: z
		.string({ error: 'contact_error_phone_invalid' })
		.trim()
		.regex(/^\+?[0-9][0-9 -]{1,18}[0-9]$/, 'contact_error_phone_invalid'),
	email: z
		.string({ error: 'contact_error_email_invalid' })
		.trim()
		.max(254, 'contact_error_email_invalid')
		.optional()
		.nullable()
		.transform((v) => (v ? v : null))
		.refine((v) => v === null || z.email().safeParse(v).success, 'contact_error_email_invalid'),
	needsRoom: checkbox,
	needsTables: checkbox,
	needsElectricity: checkbox,
	needsStaff: checkbox,
	needsNote: optionalText(500, 'contact_error_text_too_long'),
	showCaptain: checkbox
});

export const contactLinkSchema = z.object({
	validDaysAfter: z
		.union([z.number(), z.string().trim()])
		.optional()
		.transform((v) => (v === undefined || v === '' ? 30 : Number(v)))
		.refine((n) => Number.isInteger(n) && n >= 0 && n <= 60, 'contact_error_days_invalid')
});

export const proposalSchema = z
	.object({
		date: dateSchema,
		startTime: timeSchema,
		endTime: timeSchema,
		venue: optionalText(120, 'contact_error_text_too_long'),
		note: optionalText(500, 'contact_error_note_too_long')
	})
	.refine((v) => minutesOf(v.endTime) > minutesOf(v.startTime), {
		path: ['endTime'],
		message: 'events_error_end_before_start'
	});

export const replySchema = z.object({
	note: requiredText(500, 'contact_error_note_required', 'contact_error_note_too_long')
});

export type ContactInput = z.input<typeof contactSchema>;
export type ProposalInput = z.input<typeof proposalSchema>;
