// Input schemas for events, their checklist and announcements. Error messages are message keys.
import { z } from 'zod';
import { requiredText, wholeNumber } from './common';
import type { MessageKey } from '$lib/message-keys';
import { isValidTimeZone } from '$lib/i18n';
import { minutesOf } from '$lib/time';

export const EVENT_STATUSES = ['draft', 'planned', 'confirmed', 'completed', 'cancelled'] as const;

/** Optional free text: empty means none. */
export const optionalText = (max: number, code: MessageKey) =>
	z
		.string({ error: code })
		.trim()
		.max(max, code)
		.optional()
		.nullable()
		.transform((v) => (v ? v : null));

const isRealDate = (value: string) => {
	const d = new Date(`${value}T00:00:00Z`);
	return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
};

export const dateSchema = z
	.string({ error: 'events_error_date_invalid' })
	.trim()
	.regex(/^\d{4}-\d{2}-\d{2}$/, 'events_error_date_invalid')
	.refine(isRealDate, 'events_error_date_invalid');

/** `HH:MM` (browsers may add seconds); stored as `HH:MM:00`. */
export const timeSchema = z
	.string({ error: 'events_error_time_invalid' })
	.trim()
	.regex(/^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/, 'events_error_time_invalid')
	.transform((v) => `${v.slice(0, 5)}:00`);

const optionalInt = (min: number, max: number, code: MessageKey) =>
	z
		.union([z.number(), z.string().trim()], { error: code })
		.optional()
		.nullable()
		.transform((v, ctx) => {
			if (v === undefined || v === null || v === '') return null;
			const n = Number(v);
			if (!Number.isInteger(n) || n < min || n > max) {
				ctx.addIssue({ code: 'custom', message: code });
				return z.NEVER;
			}
			return n;
		});

const phoneSchema = z
	.string({ error: 'events_error_phone_invalid' })
	.trim()
	.regex(/^(?:|\+?[0-9][0-9 -]{1,18}[0-9])$/, 'events_error_phone_invalid')
	.optional()
	.nullable()
	.transform((v) => (v ? v : null));

export const eventFieldsSchema = z
	.object({
		title: requiredText(120, 'events_error_title_required', 'events_error_title_too_long'),
		theme: optionalText(200, 'events_error_text_too_long'),
		date: dateSchema,
		startTime: timeSchema,
		endTime: timeSchema,
		timeZone: z
			.string({ error: 'events_error_time_zone_invalid' })
			.trim()
			.optional()
			.transform((v) => v || 'Asia/Shanghai')
			.refine(isValidTimeZone, 'events_error_time_zone_invalid'),
		communityName: optionalText(120, 'events_error_text_too_long'),
		venueName: optionalText(120, 'events_error_text_too_long'),
		venueAddress: optionalText(200, 'events_error_text_too_long'),
		meetingPoint: optionalText(200, 'events_error_text_too_long'),
		transport: optionalText(200, 'events_error_text_too_long'),
		expectedChildren: optionalInt(0, 1000, 'events_error_children_invalid'),
		teacherName: optionalText(60, 'events_error_text_too_long'),
		teacherPhone: phoneSchema,
		nearestHospital: optionalText(200, 'events_error_text_too_long'),
		notes: optionalText(2000, 'events_error_notes_too_long'),
		childrenPerAdult: optionalInt(1, 20, 'events_error_ratio_invalid').transform((v) => v ?? 5)
	})
	.refine((v) => minutesOf(v.endTime) > minutesOf(v.startTime), {
		path: ['endTime'],
		message: 'events_error_end_before_start'
	});

export const createEventSchema = eventFieldsSchema.and(
	z.object({ useTemplate: z.boolean().optional().default(true) })
);

export const eventStatusSchema = z.enum(EVENT_STATUSES, { error: 'events_error_status_invalid' });

export const copyEventSchema = z.object({ date: dateSchema });

export const checklistItemSchema = z.object({
	title: requiredText(120, 'checklist_error_title_required', 'checklist_error_title_too_long'),
	daysBefore: wholeNumber(0, 365, 'checklist_error_days_invalid')
});

export const announcementSchema = z.object({
	body: requiredText(500, 'announce_error_body_required', 'announce_error_body_too_long')
});

export type EventFieldsInput = z.input<typeof eventFieldsSchema>;
export type CreateEventInput = z.input<typeof createEventSchema>;
export type EventFields = z.output<typeof eventFieldsSchema>;
