// The ledger as CSV (UTF-8 with BOM, see ../csv.ts); amounts as exact yuan decimals,
// positive, with the direction in its own column.
import { getDb } from '../db';
import type { Actor } from '../teams/types';
import type { Locale } from '$lib/paraglide/runtime';
import * as m from '$lib/paraglide/messages';
import { directionLabel, ledgerCategoryLabel } from '$lib/donation-labels';
import { fenToYuan } from '$lib/money';
import { toCsv } from '../csv';
import { ledgerEntries, requireLedgerReader } from './queries';

export async function ledgerCsv(
	actor: Actor,
	teamId: string,
	eventId: string,
	locale: Locale
): Promise<{ filename: string; body: string }> {
	const event = await requireLedgerReader(actor, teamId, eventId);
	const entries = await ledgerEntries(getDb(), eventId);
	const o = { locale };
	const header = [
		m.funding_field_date({}, o),
		m.funding_field_direction({}, o),
		m.funding_field_category({}, o),
		m.funding_field_amount({}, o),
		m.funding_field_note({}, o),
		m.funding_field_receipt({}, o),
		m.funding_recorded_by({}, o)
	];
	const body = [...entries]
		.reverse()
		.map((e) => [
			e.occurredOn,
			directionLabel(e.direction, locale),
			ledgerCategoryLabel(e.direction, e.category, locale),
			fenToYuan(e.amountFen),
			e.note,
			e.receiptRef,
			e.createdByName
		]);
	return {
		filename: `${m.funding_title({}, o)}-${event.date}.csv`,
		body: toCsv([header, ...body])
	};
}
