// The donations of an event as CSV (the format: ../csv.ts).
import { getDb } from '../db';
import type { Actor } from '../teams/types';
import type { Locale } from '$lib/paraglide/runtime';
import * as m from '$lib/paraglide/messages';
import { categoryLabel, donorKindLabel } from '$lib/donation-labels';
import { donationAccess } from './access';
import { donationRows } from './queries';
import { toCsv } from '../csv';

export { toCsv, attachment, BOM } from '../csv';

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
