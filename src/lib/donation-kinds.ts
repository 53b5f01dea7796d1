// Donation and funding categories. No imports: the database schema (read by drizzle-kit) uses
// them too, and so does the browser.
export const DONATION_CATEGORIES = [
	'books',
	'exercise_books',
	'stationery',
	'small_gifts',
	'sports_equipment',
	'other'
] as const;
export type DonationCategory = (typeof DONATION_CATEGORIES)[number];

export const DONOR_KINDS = ['classmate', 'college', 'company', 'community', 'other'] as const;
export type DonorKind = (typeof DONOR_KINDS)[number];

export const LEDGER_DIRECTIONS = ['income', 'expense'] as const;
export type LedgerDirection = (typeof LEDGER_DIRECTIONS)[number];

export const INCOME_CATEGORIES = [
	'college_sponsorship',
	'company_sponsorship',
	'volunteer_fundraising',
	'other'
] as const;
export const EXPENSE_CATEGORIES = [
	'gifts',
	'materials',
	'transport',
	'food',
	'printing',
	'other'
] as const;
export type IncomeCategory = (typeof INCOME_CATEGORIES)[number];
export type ExpenseCategory = (typeof EXPENSE_CATEGORIES)[number];
export type LedgerCategory = IncomeCategory | ExpenseCategory;

export const CATEGORIES_OF: Record<LedgerDirection, readonly LedgerCategory[]> = {
	income: INCOME_CATEGORIES,
	expense: EXPENSE_CATEGORIES
};

/** The most one donation row may count (a sanity bound, far above any real service day). */
export const MAX_QUANTITY = 100_000;
/** 10 million yuan in fen: amounts stay well inside a 32-bit integer column. */
export const MAX_FEN = 1_000_000_000;
