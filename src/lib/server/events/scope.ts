// The actor and the event a command acts on, passed as one value so that swapped ids cannot
// type-check, and the skeleton every event command shares.
import { getDb, type Db, type Tx } from '../db';
import type { Actor } from '../teams/types';
import { requireEvent, requirePlannable, type EventAccess } from './access';

export interface EventScope {
	readonly actor: Actor;
	readonly teamId: string;
	readonly eventId: string;
}

/**
 * What a command needs of the event: `plan` is a captain's change of an open event (row locked
 * for update); `update` and `share` only lock the row and leave the rules to the command.
 */
export type EventNeed = 'plan' | 'update' | 'share';

export function requireScope(tx: Tx, scope: EventScope, need: EventNeed): Promise<EventAccess> {
	const { actor, teamId, eventId } = scope;
	if (need === 'plan') return requirePlannable(tx, actor, teamId, eventId);
	return requireEvent(tx, actor, teamId, eventId, need);
}

/**
 * One transaction: the event required (lock, state), then `write`, which publishes its hints
 * inside so they are delivered only on commit.
 */
export function inEvent<T>(
	scope: EventScope,
	need: EventNeed,
	write: (tx: Tx, access: EventAccess) => Promise<T>
): Promise<T> {
	return getDb().transaction(async (tx) => write(tx, await requireScope(tx, scope, need)));
}

/**
 * The skeleton every read of an event's page shares: the reader's access to the event checked
 * (no lock) before `read`. The result takes (actor, teamId, eventId, …what `read` adds).
 */
export function eventRead<A extends unknown[], T>(
	read: (db: Db, access: EventAccess, scope: EventScope, ...rest: A) => Promise<T>
) {
	return async (actor: Actor, teamId: string, eventId: string, ...rest: A): Promise<T> => {
		const db = getDb();
		const access = await requireEvent(db, actor, teamId, eventId);
		return read(db, access, { actor, teamId, eventId }, ...rest);
	};
}
