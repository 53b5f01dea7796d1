// Input schemas for the run of show. Error messages are message keys.
import { z } from 'zod';
import { idSchema, requiredText, wholeNumber } from './common';
import { timeSchema } from './events';
import { AGENDA_KINDS } from '$lib/agenda-kinds';
import { minutesOf } from '$lib/time';

export const agendaItemSchema = z
	.object({
		startTime: timeSchema,
		durationMinutes: wholeNumber(1, 720, 'agenda_error_duration_invalid'),
		title: requiredText(120, 'agenda_error_title_required', 'agenda_error_title_too_long'),
		kind: z.enum(AGENDA_KINDS, { error: 'agenda_error_kind_invalid' }).default('other'),
		place: z
			.string()
			.trim()
			.max(120, 'agenda_error_place_too_long')
			.optional()
			.nullable()
			.transform((v) => (v ? v : null)),
		groupIds: z.array(idSchema).max(50).default([])
	})
	.refine((v) => minutesOf(v.startTime) + v.durationMinutes <= 24 * 60, {
		path: ['durationMinutes'],
		message: 'agenda_error_past_midnight'
	});

export const moveSchema = z.enum(['up', 'down'], { error: 'error_invalid' });

export type AgendaItemInput = z.input<typeof agendaItemSchema>;
