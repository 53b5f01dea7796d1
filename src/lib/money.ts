// Money is kept in integer fen (分) everywhere: sums and balances are exact. Yuan strings are
// only for input, CSV and display.
import type { Locale } from '$lib/paraglide/runtime';
import { numberFormat } from '$lib/intl';

const YUAN = /^(\d{1,8})(?:\.(\d{1,2}))?$/;

/** "12", "12.5", "¥1,234.50" → fen; anything else (negative, three decimals, words) → null. */
export function parseYuan(text: string): number | null {
	const cleaned = text
		.trim()
		.replace(/^[¥￥]/, '')
		.replace(/[,，\s]/g, '');
	const match = YUAN.exec(cleaned);
	if (!match) return null;
	return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

/** Fen → an exact decimal yuan string, "-12.05" (no floating point on the way). */
export function fenToYuan(fen: number): string {
	const sign = fen < 0 ? '-' : '';
	const abs = Math.abs(fen);
	return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/**
 * Fen in the reader's language: "¥1,234.50" in zh-CN, "CN¥1,234.50" in English. Intl receives
 * the exact decimal string, so no binary fraction is ever rounded.
 */
export function formatFen(fen: number, locale: Locale): string {
	const format = numberFormat(locale, { style: 'currency', currency: 'CNY' });
	return format.format(fenToYuan(fen) as Intl.StringNumericLiteral);
}
