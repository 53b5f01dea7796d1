// Input schemas for check-in and the day's settings. Error messages are message keys.
import { z } from 'zod';
import { wholeNumber } from './common';

export const ATTENDANCE_SESSIONS = ['day', 'meeting'] as const;

export const sessionSchema = z.enum(ATTENDANCE_SESSIONS, { error: 'checkin_error_session' });

/** Six digits; spaces a phone keyboard may add are ignored. */
export const checkInCodeSchema = z
	.string({ error: 'checkin_error_code_format' })
	.transform((v) => v.replace(/\s+/g, ''))
	.pipe(z.string().regex(/^\d{6}$/, 'checkin_error_code_format'));

export const daySettingsSchema = z.object({
	lateAfterMinutes: wholeNumber(0, 240, 'attendance_error_late_range'),
	meetingTime: z
		.string({ error: 'attendance_error_meeting_time' })
		.trim()
		.regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'attendance_error_meeting_time'),
	escalateAfterMinutes: wholeNumber(1, 120, 'incidents_error_escalate_range'),
	retentionDays: wholeNumber(1, 3650, 'incidents_error_retention_range')
});
export type DaySettingsInput = z.input<typeof daySettingsSchema>;
