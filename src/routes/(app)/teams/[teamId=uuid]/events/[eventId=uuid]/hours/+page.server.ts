import * as attendance from '$lib/server/attendance';
import { eventLoad } from '$lib/server/event-request';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = (event) =>
	eventLoad(event, ['attendance'], attendance.getEventHours);
