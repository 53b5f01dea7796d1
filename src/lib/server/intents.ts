// A link that changes something (an invite, a check-in; contact links later) opens a page
// whose button POSTs. Someone not signed in goes through sign-in or sign-up first; that POST
// then completes what the link was for, so they land where they meant to go.
import * as teams from './teams';
import * as attendance from './attendance';
import { DomainError } from './errors';

const INVITE_PATH = /^\/invite\/([a-z2-7]{26,64})$/;
const CHECK_IN_PATH =
	/^\/check-in\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\?ticket=([A-Za-z0-9._-]{1,80})$/;

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
	const checkIn = CHECK_IN_PATH.exec(redirectTo);
	if (checkIn) {
		try {
			const { session } = await attendance.checkInWithTicket({ userId }, checkIn[1], checkIn[2]);
			// The page shows the session the ticket was for: a meeting's check-in, not the day's.
			return `/check-in/${checkIn[1]}${session === 'meeting' ? '?session=meeting' : ''}`;
		} catch (err) {
			// Not a member, or the ticket ran out: the link page says why and offers the code form.
			if (err instanceof DomainError) return redirectTo;
			throw err;
		}
	}
	return redirectTo;
}
