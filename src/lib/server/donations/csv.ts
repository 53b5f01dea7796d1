// CSV as spreadsheet software reads Chinese text: UTF-8 with a byte-order mark (without it,
// Excel on Chinese Windows guesses GBK and shows mojibake), CRLF line ends, RFC 4180 quoting.
// Cells that a spreadsheet would run as a formula are defused with a leading apostrophe.
import { getDb } from '../db';
import type { Actor } from '../teams/types';
import type { Locale } from '$lib/paraglide/runtime';
import * as m from '$lib/paraglide/messages';
import { categoryLabel, donorKindLabel } from '$lib/donation-labels';
import { donationAccess } from './access';
import { donationRows } from './queries';

export const BOM = '\uFEFF';

function cell(value: string | number | null): string {
	if (value === null) return '';
	if (typeof value === 'number') return String(value);
	const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
	return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function toCsv(rows: readonly (readonly (string | number | null)[])[]): string {
	return BOM + rows.map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}

/** A download name such as `捐赠-2030-07-12.csv`, for Content-Disposition (RFC 6266/5987). */
export function attachment(name: string): string {
	const ascii = name.replace(/[^\x20-\x7e]/g, '_').replaceAll('"', '');
	return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export async function donationsCsv(
	actor: Actor,
	teamId: string,
	eventId: string,
	locale: Locale
): Promise<{ filename: string; body: string }> {
	const db = getDb();
	const { event } = await donationAccess(db, actor, teamId, eventId);
	const rows = await donationRows(db, eventId);
	const o = { locale };
	const header = [
		m.donations_field_category({}, o),
		m.donations_field_description({}, o),
		m.donations_field_unit({}, o),
		m.donations_field_donor({}, o),
		m.donations_field_donor_kind({}, o),
		m.donations_pledged({}, o),
		m.donations_received({}, o),
		m.donations_distributed({}, o),
		m.donations_holder({}, o),
		m.donations_pledged_by({}, o),
		m.donations_allocations({}, o)
	];
	const body = rows.map((d) => [
		categoryLabel(d.category, locale),
		d.description,
		d.unit,
		d.donorName ?? m.donations_anonymous({}, o),
		donorKindLabel(d.donorKind, locale),
		d.pledged,
		d.received,
		d.distributed,
		d.holder?.displayName ?? null,
		d.pledgedBy?.displayName ?? null,
		d.allocations
			.map((a) =>
				m.donations_allocation_cell(
					{ group: a.groupName, allocated: a.allocated, distributed: a.distributed },
					o
				)
			)
			.join('; ')
	]);
	return {
		filename: `${m.donations_title({}, o)}-${event.date}.csv`,
		body: toCsv([header, ...body])
	};
}
