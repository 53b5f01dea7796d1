// Input schemas for tasks, sign-ups and performance preparation. Error messages are message keys.
import { z } from 'zod';
import { idSchema, optionalIdSchema, requiredText, wholeNumber } from './common';
import { dateSchema, optionalText, timeSchema } from './events';
import { READINESS, TASK_KINDS } from '$lib/task-kinds';
import { minutesOf } from '$lib/time';

export const capacitySchema = wholeNumber(1, 500, 'tasks_error_capacity_invalid');

/** `YYYY-MM-DDTHH:MM` from a datetime-local input, on the event's wall clock; empty: no limit. */
export const opensAtSchema = z
	.string({ error: 'tasks_error_opens_invalid' })
	.trim()
	.regex(/^(?:|\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?)$/, 'tasks_error_opens_invalid')
	.optional()
	.nullable()
	.transform((v) => (v ? { date: v.slice(0, 10), time: v.slice(11, 16) } : null));

export const taskSchema = z
	.object({
		kind: z.enum(TASK_KINDS, { error: 'tasks_error_kind_invalid' }).default('other'),
		title: requiredText(120, 'tasks_error_title_required', 'tasks_error_title_too_long'),
		description: optionalText(1000, 'tasks_error_description_too_long'),
		place: optionalText(120, 'tasks_error_place_too_long'),
		groupId: optionalIdSchema,
		agendaItemId: optionalIdSchema,
		date: dateSchema,
		startTime: timeSchema,
		endTime: timeSchema,
		capacity: capacitySchema,
		signupOpensAt: opensAtSchema
	})
	.refine((v) => minutesOf(v.endTime) > minutesOf(v.startTime), {
		path: ['endTime'],
		message: 'tasks_error_end_before_start'
	});

export type TaskInput = z.input<typeof taskSchema>;

/** The idempotency key a claim form carries: a uuid rendered into the page. */
export const claimKeySchema = idSchema;

export const readinessSchema = z.enum(READINESS, { error: 'perf_error_transition' });

export const performanceItemSchema = z.object({
	item: requiredText(80, 'perf_error_item_required', 'perf_error_item_too_long'),
	bringerId: optionalIdSchema
});

export const rehearsalSchema = z.object({
	date: dateSchema,
	note: requiredText(500, 'perf_error_note_required', 'perf_error_note_too_long')
});

export const BOARD_FILTERS = ['all', 'open', 'mine', 'group'] as const;
export type BoardFilter = (typeof BOARD_FILTERS)[number];
// The board reads in time order; it may be cut into the groups' sections (kind is a filter).
export const BOARD_GROUPINGS = ['time', 'group'] as const;
export type BoardGrouping = (typeof BOARD_GROUPINGS)[number];
