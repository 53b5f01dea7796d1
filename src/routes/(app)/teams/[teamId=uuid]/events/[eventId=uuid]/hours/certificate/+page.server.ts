import * as attendance from '$lib/server/attendance';
import { requireUser } from '$lib/server/auth/guards';
import { rethrow } from '$lib/server/forms';
import type { PageServerLoad } from './$types';

// A captain may print anyone's certificate (`?userId=`); everyone else their own.
export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const userId = event.url.searchParams.get('userId') || user.id;
	const hours = await attendance
		.getVolunteerHours({ userId: user.id }, event.params.teamId, userId)
		.catch(rethrow);
	return { hours, issuedAt: new Date() };
};
