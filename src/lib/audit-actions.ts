/** What the audit log records; the database checks the same list. */
export const AUDIT_ACTIONS = [
	'role_changed',
	'member_removed',
	'member_left',
	'reset_link_created',
	'invite_created',
	'invite_revoked',
	'contact_link_created',
	'contact_link_revoked',
	'incident_acknowledged',
	'incident_resolved',
	'account_deleted'
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
