// The words for donation and funding categories, for pages (the reader's language) and for
// CSV files (the language asked for).
import * as m from '$lib/paraglide/messages';
import type { Locale } from '$lib/paraglide/runtime';
import type {
	DonationCategory,
	DonorKind,
	LedgerCategory,
	LedgerDirection
} from '$lib/donation-kinds';

type Options = { locale?: Locale };

const CATEGORY: Record<DonationCategory, (i: object, o: Options) => string> = {
	books: m.donations_category_books,
	exercise_books: m.donations_category_exercise_books,
	stationery: m.donations_category_stationery,
	small_gifts: m.donations_category_small_gifts,
	sports_equipment: m.donations_category_sports_equipment,
	other: m.donations_category_other
};

const DONOR: Record<DonorKind, (i: object, o: Options) => string> = {
	classmate: m.donations_donor_classmate,
	college: m.donations_donor_college,
	company: m.donations_donor_company,
	community: m.donations_donor_community,
	other: m.donations_donor_other
};

const INCOME: Record<string, (i: object, o: Options) => string> = {
	college_sponsorship: m.funding_income_college_sponsorship,
	company_sponsorship: m.funding_income_company_sponsorship,
	volunteer_fundraising: m.funding_income_volunteer_fundraising,
	other: m.funding_income_other
};

const EXPENSE: Record<string, (i: object, o: Options) => string> = {
	gifts: m.funding_expense_gifts,
	materials: m.funding_expense_materials,
	transport: m.funding_expense_transport,
	food: m.funding_expense_food,
	printing: m.funding_expense_printing,
	other: m.funding_expense_other
};

export const categoryLabel = (c: DonationCategory, locale?: Locale) => CATEGORY[c]({}, { locale });
export const donorKindLabel = (k: DonorKind, locale?: Locale) => DONOR[k]({}, { locale });

export function ledgerCategoryLabel(
	direction: LedgerDirection,
	category: LedgerCategory,
	locale?: Locale
): string {
	return (direction === 'income' ? INCOME : EXPENSE)[category]({}, { locale });
}

export const directionLabel = (d: LedgerDirection, locale?: Locale) =>
	d === 'income' ? m.funding_income({}, { locale }) : m.funding_expense({}, { locale });
