// A private link (contact, password reset, invite) that leads nowhere answers with its status,
// not 200: 404 when no such link exists (or it is malformed), 410 when it existed and has
// expired, been revoked or been used. Each such route's +error.svelte shows the message on the
// same clear page (`LinkGone.svelte`).
import { error } from '@sveltejs/kit';

export type DeadLink = 'unknown' | 'gone';

export function linkGone(state: DeadLink, message: string): never {
	error(state === 'unknown' ? 404 : 410, message);
}
