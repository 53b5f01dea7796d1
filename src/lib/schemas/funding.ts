// Input schemas for the funding ledger, budgets and sponsors. Error messages are message keys.
import { z } from 'zod';
import { requiredText } from './common';
import { dateSchema, optionalText } from './events';
import {
	CATEGORIES_OF,
	LEDGER_DIRECTIONS,
	MAX_FEN,
	type LedgerCategory
} from '$lib/donation-kinds';
import { parseYuan } from '$lib/money';

/** Yuan as typed ("12.50", "¥1,200") → integer fen; a positive amount. */
export const amountSchema = z
	.string({ error: 'funding_error_amount_invalid' })
	.transform((v, ctx) => {
		const fen = parseYuan(v);
		if (fen === null || fen < 1 || fen > MAX_FEN) {
			ctx.addIssue({ code: 'custom', message: 'funding_error_amount_invalid' });
			return z.NEVER;
		}
		return fen;
	});

/** A budget may be 0; empty clears it. */
export const budgetSchema = z
	.string({ error: 'funding_error_amount_invalid' })
	.transform((v, ctx) => {
		if (v.trim() === '') return null;
		const fen = parseYuan(v);
		if (fen === null || fen > MAX_FEN) {
			ctx.addIssue({ code: 'custom', message: 'funding_error_amount_invalid' });
			return z.NEVER;
		}
		return fen;
	});

const directionSchema = z.enum(LEDGER_DIRECTIONS, { error: 'funding_error_category_invalid' });

/** A category belongs to one direction: "printing" is never income. */
const categoryOf = <T extends { direction: (typeof LEDGER_DIRECTIONS)[number]; category: string }>(
	v: T,
	ctx: z.RefinementCtx
) => {
	if (!CATEGORIES_OF[v.direction].includes(v.category as LedgerCategory)) {
		ctx.addIssue({ code: 'custom', path: ['category'], message: 'funding_error_category_invalid' });
	}
};

/**
 * A form sends one select, `kind` = "expense:printing" (a select cannot fill two fields without
 * JavaScript); callers may also give `direction` and `category` apart.
 */
const splitKind = (input: unknown) => {
	if (!input || typeof input !== 'object') return input;
	const { kind, ...rest } = input as Record<string, unknown>;
	if (typeof kind !== 'string') return input;
	const [direction, category] = kind.split(':');
	return { ...rest, direction, category };
};

export const entrySchema = z.preprocess(
	splitKind,
	z
		.object({
			direction: directionSchema,
			category: z.string({ error: 'funding_error_category_invalid' }).trim(),
			amount: amountSchema,
			occurredOn: dateSchema,
			note: optionalText(200, 'funding_error_note_too_long'),
			receiptRef: optionalText(60, 'funding_error_receipt_too_long')
		})
		.superRefine(categoryOf)
		.transform((v) => ({ ...v, category: v.category as LedgerCategory }))
);

export type EntryInput = {
	direction?: string;
	category?: string;
	kind?: string;
	amount: string;
	occurredOn: string;
	note?: string | null;
	receiptRef?: string | null;
};

export const budgetInputSchema = z
	.object({
		direction: directionSchema,
		category: z.string({ error: 'funding_error_category_invalid' }).trim(),
		amount: budgetSchema
	})
	.superRefine(categoryOf)
	.transform((v) => ({ ...v, category: v.category as LedgerCategory }));

export const sponsorSchema = z.object({
	name: requiredText(80, 'sponsors_error_name_required', 'sponsors_error_name_too_long'),
	thanks: requiredText(200, 'sponsors_error_thanks_required', 'sponsors_error_thanks_too_long')
});

export type SponsorInput = z.input<typeof sponsorSchema>;
