// What every team and event page's form action starts with: the signed-in actor, the ids from
// the URL and what the user typed. Only this reads the request; domain functions get plain values.
import type { RequestEvent, ServerLoadEvent } from '@sveltejs/kit';
import { requireUser } from './auth/guards';
import { readEventAccess } from './events/access';
import type { EventScope } from './events/scope';
import { action, formValues, readForm, rethrow } from './forms';
import { getMembership } from './teams/queries';
import type { Actor } from './teams/types';

export type EventRequest = Pick<RequestEvent, 'locals' | 'url' | 'request'> & {
	params: { teamId: string; eventId?: string };
};

export async function eventForm(event: EventRequest) {
	const user = requireUser(event);
	const actor = { userId: user.id };
	const { teamId, eventId = '' } = event.params;
	// Membership before input: someone outside the team (or shown no such event) gets 404
	// whatever the body holds, before the body is read or judged. The domain command checks
	// again inside its transaction; this is what decides the answer to a stranger.
	await (eventId ? readEventAccess(actor, teamId, eventId) : getMembership(actor, teamId)).catch(
		rethrow
	);
	const data = await readForm(event);
	const scope: EventScope = { actor, teamId, eventId };
	return { scope, actor, teamId, eventId, data, values: formValues(data) };
}

export type EventForm = Awaited<ReturnType<typeof eventForm>>;

export type EventLoadRequest = EventRequest &
	Pick<ServerLoadEvent, 'depends'> & { params: { eventId: string } };

/**
 * What an event page's load is made of: the signed-in actor, the hint kinds of the event the
 * page follows (a hint of one of them runs the load again), and one domain read whose typed
 * error becomes the HTTP answer.
 */
export async function eventLoad<T>(
	event: EventLoadRequest,
	kinds: readonly string[],
	read: (actor: Actor, teamId: string, eventId: string) => Promise<T>
): Promise<T> {
	const user = requireUser(event);
	const { teamId, eventId } = event.params;
	for (const kind of kinds) event.depends(`app:event:${eventId}:${kind}`);
	return await read({ userId: user.id }, teamId, eventId).catch(rethrow);
}

/**
 * A named form action of a team or event page: a domain error comes back as `fail` with what
 * was typed and the action's name in `values.action`, so the page answers beside that form.
 */
export function formAction<T, E extends EventRequest = EventRequest>(
	name: string,
	fn: (f: EventForm, event: E) => Promise<T>
) {
	return async (event: E) => {
		const f = await eventForm(event);
		return action({ ...f.values, action: name }, () => fn(f, event));
	};
}

/** `formAction` for a command whose answer is only which form saved: `{ saved: name }`. */
export function saveAction<N extends string, E extends EventRequest = EventRequest>(
	name: N,
	fn: (f: EventForm, event: E) => Promise<unknown>
) {
	return formAction<{ saved: N }, E>(name, async (f, event) => {
		await fn(f, event);
		return { saved: name };
	});
}

/** Ids ticked in a group of checkboxes. */
export function checkedIds(data: FormData, name: string): string[] {
	return data.getAll(name).filter((v): v is string => typeof v === 'string');
}
