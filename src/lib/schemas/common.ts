import { z } from 'zod';

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids that arrive in forms: a malformed one is the user's mistake, never a database error. */
export const idSchema = z.string().trim().regex(UUID_PATTERN, 'error_invalid');
