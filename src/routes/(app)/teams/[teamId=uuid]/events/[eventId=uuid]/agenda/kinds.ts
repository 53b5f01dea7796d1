import * as m from '$lib/paraglide/messages';
import type { AgendaKind } from '$lib/agenda-kinds';

export const kindLabels: Record<AgendaKind, () => string> = {
	arrival: m.agenda_kind_arrival,
	setup: m.agenda_kind_setup,
	meet: m.agenda_kind_meet,
	performance: m.agenda_kind_performance,
	tutoring: m.agenda_kind_tutoring,
	safety: m.agenda_kind_safety,
	crafts: m.agenda_kind_crafts,
	support: m.agenda_kind_support,
	photo: m.agenda_kind_photo,
	gifts: m.agenda_kind_gifts,
	break: m.agenda_kind_break,
	other: m.agenda_kind_other
};
