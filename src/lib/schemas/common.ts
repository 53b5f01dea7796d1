import { z } from 'zod';
import type { MessageKey } from '$lib/message-keys';

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids that arrive in forms: a malformed one is the user's mistake, never a database error. */
export const idSchema = z.string().trim().regex(UUID_PATTERN, 'error_invalid');

/** An optional id from a select: empty means none. */
export const optionalIdSchema = z
	.string()
	.trim()
	.optional()
	.nullable()
	.transform((v) => (v ? v : null))
	.pipe(idSchema.nullable());

/** Text a person must type: trimmed, 1 to `max` characters. */
export const requiredText = (max: number, required: MessageKey, tooLong: MessageKey) =>
	z.string({ error: required }).trim().min(1, required).max(max, tooLong);

/** A whole number from `min` to `max` as typed in a form; any other input says `code`. */
export const wholeNumber = (min: number, max: number, code: MessageKey) =>
	z.coerce.number({ error: code }).int(code).min(min, code).max(max, code);
