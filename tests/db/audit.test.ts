import { describe, expect, it } from 'vitest';
import * as audit from '../../src/lib/server/audit';
import * as teams from '../../src/lib/server/teams';
import * as contacts from '../../src/lib/server/contacts';
import * as incidents from '../../src/lib/server/incidents';
import * as accounts from '../../src/lib/server/accounts';
import { getDb } from '../../src/lib/server/db';
import { auditLog } from '../../src/lib/server/db/schema';
import { Conflict, Forbidden, NotFound } from '../../src/lib/server/errors';
import { useTestDatabase } from './helpers';
import { addMember, makeTeam } from '../factories/teams';
import { makeEvent } from '../factories/events';
import { makeContact } from '../factories/contacts';
import { DEFAULT_PASSWORD } from '../factories/users';

useTestDatabase();
const as = (user: { id: string }) => ({ userId: user.id });

async function allEntries(teamId: string, viewer: { id: string }) {
	const entries: audit.AuditView[] = [];
	for (let page = 1; ; page++) {
		const result = await audit.listAudit(as(viewer), teamId, page);
		entries.push(...result.entries);
		if (!result.hasNext) return entries;
	}
}

describe('audit log', () => {
	it('records each audited change, newest first, with small structured details only', async () => {
		const team = await makeTeam();
		const v = await addMember(team);
		const leaver = await addMember(team);
		const { id: eventId } = await makeEvent(team, { status: 'confirmed', date: '2026-07-01' });
		const captain = as(team.captain);

		await teams.changeRole(captain, team.teamId, v.id, 'leader');
		const reset = await accounts.createPasswordReset(captain, team.teamId, v.id);
		const invite = await teams.createInvite(captain, team.teamId, {
			role: 'volunteer',
			maxUses: 5,
			expiresInDays: 3
		});
		await teams.revokeInvite(captain, team.teamId, invite.id);
		// Revoking twice changes nothing and records nothing.
		await teams.revokeInvite(captain, team.teamId, invite.id);
		const link = await makeContact(team, eventId);
		await contacts.revokeContactLink({ actor: captain, teamId: team.teamId, eventId });
		const now = new Date('2026-07-01T01:00:00Z');
		const incident = await incidents.reportIncident(
			{ actor: as(v), teamId: team.teamId, eventId },
			{ category: 'injury', severity: 'high', description: '膝盖擦伤', place: '门口' },
			now
		);
		await incidents.acknowledgeIncident(
			{ actor: captain, teamId: team.teamId, eventId },
			incident.id,
			now
		);
		await incidents.resolveIncident(
			{ actor: captain, teamId: team.teamId, eventId },
			incident.id,
			'已处理',
			now
		);
		await teams.leaveTeam(as(leaver), team.teamId);
		await teams.removeMember(captain, team.teamId, v.id);

		const entries = await allEntries(team.teamId, team.captain);
		expect(entries.map((e) => e.action)).toEqual([
			'member_removed',
			'member_left',
			'incident_resolved',
			'incident_acknowledged',
			'contact_link_revoked',
			'contact_link_created',
			'invite_revoked',
			'invite_created',
			'reset_link_created',
			'role_changed',
			// The factory's invites that brought the two members in.
			'invite_created',
			'invite_created'
		]);
		const byAction = Object.fromEntries(entries.reverse().map((e) => [e.action, e]));
		expect(byAction.role_changed).toMatchObject({
			actor: { id: team.captain.id, displayName: expect.any(String) },
			targetUser: { id: v.id },
			details: { from: 'volunteer', to: 'leader' }
		});
		expect(byAction.member_removed).toMatchObject({
			targetUser: { id: v.id },
			details: { role: 'leader', releasedSignups: 0 }
		});
		expect(byAction.member_left).toMatchObject({
			actor: { id: leaver.id },
			targetUser: null,
			details: { role: 'volunteer' }
		});
		expect(byAction.invite_created).toMatchObject({
			targetId: invite.id,
			details: { role: 'volunteer', maxUses: 5, expiresInDays: 3 }
		});
		expect(byAction.contact_link_created).toMatchObject({
			targetEvent: { id: eventId },
			details: { validDaysAfter: 30 }
		});
		expect(byAction.incident_resolved).toMatchObject({
			targetEvent: { id: eventId },
			targetId: incident.id,
			details: { category: 'injury', severity: 'high' }
		});
		// Nothing secret or free-text reaches the log.
		const stored = JSON.stringify(await getDb().select().from(auditLog));
		for (const secret of [reset.token, invite.token, link.token, '膝盖擦伤', '门口', '已处理']) {
			expect(stored).not.toContain(secret);
		}
		expect(stored).not.toContain('13900001111');
	});

	it('writes nothing when the change is refused (same transaction)', async () => {
		const team = await makeTeam();
		const v = await addMember(team);
		await expect(
			teams.changeRole(as(team.captain), team.teamId, team.captain.id, 'volunteer')
		).rejects.toBeInstanceOf(Conflict);
		await expect(teams.removeMember(as(v), team.teamId, team.captain.id)).rejects.toBeInstanceOf(
			Forbidden
		);
		await expect(
			accounts.createPasswordReset(as(v), team.teamId, team.captain.id)
		).rejects.toBeInstanceOf(Forbidden);
		// Only the invite the factory used to bring v in.
		expect((await allEntries(team.teamId, team.captain)).map((e) => e.action)).toEqual([
			'invite_created'
		]);
	});

	it('is for captains only: 404 for outsiders, 403 for leaders and volunteers', async () => {
		const team = await makeTeam();
		const other = await makeTeam();
		const leader = await addMember(team, 'leader');
		const v = await addMember(team);
		await expect(audit.listAudit(as(other.captain), team.teamId)).rejects.toBeInstanceOf(NotFound);
		await expect(audit.listAudit(as(leader), team.teamId)).rejects.toBeInstanceOf(Forbidden);
		await expect(audit.listAudit(as(v), team.teamId)).rejects.toBeInstanceOf(Forbidden);
		// Another team's log holds none of this team's entries.
		const theirs = await audit.listAudit(as(other.captain), other.teamId);
		expect(theirs.entries).toEqual([]);
		expect(theirs.teamName).not.toBe('');
	});

	it('pages newest first without gaps or repeats', async () => {
		const team = await makeTeam();
		const made: string[] = [];
		for (let i = 0; i < audit.AUDIT_PAGE_SIZE + 5; i++) {
			made.push(
				(await teams.createInvite(as(team.captain), team.teamId, { role: 'volunteer' })).id
			);
		}
		const first = await audit.listAudit(as(team.captain), team.teamId, 1);
		const second = await audit.listAudit(as(team.captain), team.teamId, 2);
		expect(first.entries).toHaveLength(audit.AUDIT_PAGE_SIZE);
		expect(first.hasNext).toBe(true);
		expect(second.entries).toHaveLength(5);
		expect(second.hasNext).toBe(false);
		expect([...first.entries, ...second.entries].map((e) => e.targetId)).toEqual(made.reverse());
		const empty = await audit.listAudit(as(team.captain), team.teamId, 3);
		expect(empty.entries).toEqual([]);
	});

	it('parses the page number from the URL without trusting it', () => {
		expect(audit.parsePage(null)).toBe(1);
		expect(audit.parsePage('2')).toBe(2);
		for (const bad of ['0', '-1', '1.5', 'abc', '99999', '1e3', ' 2', '']) {
			expect(audit.parsePage(bad)).toBe(1);
		}
	});

	it('shows a deleted account as a deleted user, by nothing that names them', async () => {
		const team = await makeTeam();
		const v = await addMember(team);
		await accounts.createPasswordReset(as(team.captain), team.teamId, v.id);
		await accounts.deleteAccount(as(v), { password: DEFAULT_PASSWORD });
		const entries = await allEntries(team.teamId, team.captain);
		expect(entries[0]).toMatchObject({
			action: 'account_deleted',
			actor: { id: v.id, displayName: null },
			details: { role: 'volunteer', releasedSignups: 0 }
		});
		expect(entries.find((e) => e.action === 'reset_link_created')?.targetUser).toEqual({
			id: v.id,
			displayName: null
		});
	});
});
