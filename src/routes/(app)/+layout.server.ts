import { requireUser } from '$lib/server/auth/guards';
import type { LayoutServerLoad } from './$types';

// Everything under (app) needs a session. Actions and endpoints call their own guard too:
// a layout load does not run for them.
export const load: LayoutServerLoad = (event) => {
	requireUser(event);
	return {};
};
