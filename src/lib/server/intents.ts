// A link that changes something (an invite now; check-in and contact links later) opens a page
// whose button POSTs. Someone not signed in goes through sign-in or sign-up first; that POST
// then completes what the link was for, so they land where they meant to go.
import * as teams from './teams';
import { DomainError } from './errors';

const INVITE_PATH = /^\/invite\/([a-z2-7]{26,64})$/;

/** Where to go after signing in or up: the completed intent's result, or `redirectTo`. */
export async function completeIntent(userId: string, redirectTo: string): Promise<string> {
	const invite = INVITE_PATH.exec(redirectTo);
	if (invite) {
		try {
			const { teamId } = await teams.acceptInvite({ userId }, invite[1]);
			return `/teams/${teamId}`;
		} catch (err) {
			// An expired or used-up invite: back to its page, which says why.
			if (err instanceof DomainError) return redirectTo;
			throw err;
		}
	}
	return redirectTo;
}
