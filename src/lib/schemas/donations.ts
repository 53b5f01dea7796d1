// Input schemas for donations. Error messages are message keys.
import { z } from 'zod';
import { idSchema } from './common';
import { DONATION_CATEGORIES, DONOR_KINDS, MAX_QUANTITY } from '$lib/donation-kinds';

/** A positive whole number of items, as typed in a form. */
export const quantitySchema = z.coerce
	.number({ error: 'donations_error_quantity_invalid' })
	.int('donations_error_quantity_invalid')
	.min(1, 'donations_error_quantity_invalid')
	.max(MAX_QUANTITY, 'donations_error_quantity_invalid');

const optionalName = z
	.string()
	.trim()
	.max(60, 'donations_error_donor_too_long')
	.optional()
	.nullable()
	.transform((v) => (v ? v : null));

export const optionalIdSchema = z
	.string()
	.trim()
	.optional()
	.nullable()
	.transform((v) => (v ? v : null))
	.pipe(idSchema.nullable());

/** What a leader records, and (without holder) what a volunteer pledges. */
export const donationSchema = z.object({
	category: z.enum(DONATION_CATEGORIES, { error: 'donations_error_category_invalid' }),
	description: z
		.string({ error: 'donations_error_description_required' })
		.trim()
		.min(1, 'donations_error_description_required')
		.max(120, 'donations_error_description_too_long'),
	unit: z
		.string({ error: 'donations_error_unit_required' })
		.trim()
		.min(1, 'donations_error_unit_required')
		.max(10, 'donations_error_unit_too_long'),
	quantity: quantitySchema,
	/** Empty: anonymous. */
	donorName: optionalName,
	donorKind: z.enum(DONOR_KINDS, { error: 'donations_error_donor_kind_invalid' }).default('other')
});

export type DonationInput = z.input<typeof donationSchema>;

/** An allocation may be set back to 0 (the group gets none of it). */
export const allocationSchema = z.coerce
	.number({ error: 'donations_error_quantity_invalid' })
	.int('donations_error_quantity_invalid')
	.min(0, 'donations_error_quantity_invalid')
	.max(MAX_QUANTITY, 'donations_error_quantity_invalid');
