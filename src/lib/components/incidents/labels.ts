// Localized names of incident categories, severities and states (shared by the alert and pages).
import * as m from '$lib/paraglide/messages';

const categories: Record<string, () => string> = {
	injury: m.incidents_category_injury,
	child_safety: m.incidents_category_child_safety,
	lost_item: m.incidents_category_lost_item,
	conflict: m.incidents_category_conflict,
	venue: m.incidents_category_venue,
	other: m.incidents_category_other
};
const severities: Record<string, () => string> = {
	low: m.incidents_severity_low,
	medium: m.incidents_severity_medium,
	high: m.incidents_severity_high,
	urgent: m.incidents_severity_urgent
};
const states: Record<string, () => string> = {
	open: m.incidents_status_open,
	acknowledged: m.incidents_status_acknowledged,
	resolved: m.incidents_status_resolved
};

export const categoryLabel = (key: string) => (categories[key] ?? m.incidents_category_other)();
export const severityLabel = (key: string) => (severities[key] ?? m.incidents_severity_low)();
export const statusLabel = (key: string) => (states[key] ?? m.incidents_status_open)();
