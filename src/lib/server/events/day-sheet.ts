// The printable day sheet: everything a volunteer needs on paper, with contact details only as
// far as the viewer may see them (the groups' own rules apply).
import { getAgenda, type AgendaItemView } from '../agenda/queries';
import { listGroups, type GroupView } from '../groups/queries';
import type { Actor } from '../teams/types';
import type { EventRow } from './access';
import { listCaptains } from './queries';

export interface DaySheet {
	event: EventRow;
	agenda: AgendaItemView[];
	groups: GroupView[];
	captains: { displayName: string; phone: string | null }[];
}

export async function getDaySheet(
	actor: Actor,
	teamId: string,
	eventId: string
): Promise<DaySheet> {
	const agenda = await getAgenda(actor, teamId, eventId);
	const groups = await listGroups(actor, teamId, eventId);
	return {
		event: agenda.event,
		agenda: agenda.items,
		groups: groups.groups,
		captains: await listCaptains(teamId)
	};
}
