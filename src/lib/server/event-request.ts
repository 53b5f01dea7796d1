// What every event page's form action starts with: the signed-in actor, the ids from the URL
// and what the user typed. Only this reads the request; domain functions get plain values.
import type { RequestEvent } from '@sveltejs/kit';
import { requireUser } from './auth/guards';
import { formValues } from './forms';

type EventRequest = Pick<RequestEvent, 'locals' | 'url' | 'request'> & {
	params: { teamId: string; eventId?: string };
};

export async function eventForm(event: EventRequest) {
	const user = requireUser(event);
	const data = await event.request.formData();
	return {
		actor: { userId: user.id },
		teamId: event.params.teamId,
		eventId: event.params.eventId ?? '',
		data,
		values: formValues(data)
	};
}

/** Ids ticked in a group of checkboxes. */
export function checkedIds(data: FormData, name: string): string[] {
	return data.getAll(name).filter((v): v is string => typeof v === 'string');
}
