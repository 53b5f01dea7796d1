import * as events from '$lib/server/events';
import { eventLoad } from '$lib/server/event-request';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = (event) =>
	eventLoad(event, ['event', 'agenda', 'groups'], events.getDaySheet);
