// Turns a schema failure into `Invalid` with, per field, message keys of the catalogue.
import type { z } from 'zod';
import { Invalid, type FieldErrors } from './errors';
import { isErrorCode } from './messages';

export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
	const result = schema.safeParse(input);
	if (result.success) return result.data;
	const fields: FieldErrors = {};
	for (const issue of result.error.issues) {
		const field = issue.path.length > 0 ? issue.path.join('.') : '_form';
		(fields[field] ??= []).push(isErrorCode(issue.message) ? issue.message : 'error_invalid');
	}
	throw new Invalid('invalid', fields);
}
