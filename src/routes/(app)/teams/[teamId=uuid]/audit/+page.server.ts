import * as audit from '$lib/server/audit';
import { requireUser } from '$lib/server/auth/guards';
import { rethrow } from '$lib/server/forms';
import type { PageServerLoad } from './$types';

// Captains only; the domain decides (404 for non-members, 403 for other members).
export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const page = audit.parsePage(event.url.searchParams.get('page'));
	const log = await audit.listAudit({ userId: user.id }, event.params.teamId, page).catch(rethrow);
	return { teamId: event.params.teamId, ...log };
};
