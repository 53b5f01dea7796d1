// The outreach-day template (走进社区，关爱留守儿童): a run of show with default times from the
// event's start, and a preparation checklist due a number of days before the day. Titles are
// in the catalogue, written in the creating captain's language.
import * as m from '$lib/paraglide/messages';
import type { Locale } from '$lib/paraglide/runtime';
import type { AgendaKind } from '../db/schema';

type Text = (inputs: Record<string, never>, options: { locale: Locale }) => string;

export interface TemplateAgendaItem {
	offsetMinutes: number;
	durationMinutes: number;
	kind: AgendaKind;
	title: Text;
}

export const OUTREACH_AGENDA: readonly TemplateAgendaItem[] = [
	{ offsetMinutes: 0, durationMinutes: 30, kind: 'arrival', title: m.events_template_arrive },
	{ offsetMinutes: 30, durationMinutes: 20, kind: 'setup', title: m.events_template_setup },
	{ offsetMinutes: 50, durationMinutes: 20, kind: 'meet', title: m.events_template_meet },
	{ offsetMinutes: 70, durationMinutes: 45, kind: 'performance', title: m.events_template_perform },
	{ offsetMinutes: 115, durationMinutes: 45, kind: 'tutoring', title: m.events_template_tutoring },
	{ offsetMinutes: 160, durationMinutes: 20, kind: 'safety', title: m.events_template_safety },
	{ offsetMinutes: 180, durationMinutes: 30, kind: 'crafts', title: m.events_template_crafts },
	{ offsetMinutes: 180, durationMinutes: 30, kind: 'support', title: m.events_template_support },
	{ offsetMinutes: 210, durationMinutes: 15, kind: 'photo', title: m.events_template_photo },
	{ offsetMinutes: 225, durationMinutes: 20, kind: 'gifts', title: m.events_template_gifts }
];

export interface TemplateChecklistItem {
	daysBefore: number;
	title: Text;
}

export const OUTREACH_CHECKLIST: readonly TemplateChecklistItem[] = [
	{ daysBefore: 14, title: m.events_template_planning_meeting },
	{ daysBefore: 10, title: m.events_template_sponsorship },
	{ daysBefore: 10, title: m.events_template_publicity },
	{ daysBefore: 7, title: m.events_template_contact_community },
	{ daysBefore: 3, title: m.events_template_donations },
	{ daysBefore: 2, title: m.events_template_rehearsals },
	{ daysBefore: 1, title: m.events_template_mobilization }
];
