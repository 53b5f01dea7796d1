// Input schemas for donations. Error messages are message keys.
import { z } from 'zod';
import { requiredText, wholeNumber } from './common';
import { DONATION_CATEGORIES, DONOR_KINDS, MAX_QUANTITY } from '$lib/donation-kinds';

/** A positive whole number of items, as typed in a form. */
export const quantitySchema = wholeNumber(1, MAX_QUANTITY, 'donations_error_quantity_invalid');

const optionalName = z
	.string()
	.trim()
	.max(60, 'donations_error_donor_too_long')
	.optional()
	.nullable()
	.transform((v) => (v ? v : null));

/** What a leader records, and (without holder) what a volunteer pledges. */
export const donationSchema = z.object({
	category: z.enum(DONATION_CATEGORIES, { error: 'donations_error_category_invalid' }),
	description: requiredText(
		120,
		'donations_error_description_required',
		'donations_error_description_too_long'
	),
	unit: requiredText(10, 'donations_error_unit_required', 'donations_error_unit_too_long'),
	quantity: quantitySchema,
	/** Empty: anonymous. */
	donorName: optionalName,
	donorKind: z.enum(DONOR_KINDS, { error: 'donations_error_donor_kind_invalid' }).default('other')
});

export type DonationInput = z.input<typeof donationSchema>;

/** An allocation may be set back to 0 (the group gets none of it). */
export const allocationSchema = wholeNumber(0, MAX_QUANTITY, 'donations_error_quantity_invalid');
