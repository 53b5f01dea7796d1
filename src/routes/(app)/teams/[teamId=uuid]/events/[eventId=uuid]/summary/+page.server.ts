import { getEventSummary } from '$lib/server/summary';
import { eventLoad } from '$lib/server/event-request';
import type { PageServerLoad } from './$types';

const KINDS = ['event', 'attendance', 'tasks', 'donations', 'funding', 'incidents'];

export const load: PageServerLoad = (event) => eventLoad(event, KINDS, getEventSummary);
