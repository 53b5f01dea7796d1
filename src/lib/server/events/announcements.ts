// Announcements of an event: captains post and delete them.
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { announcements } from '../db/schema';
import { Forbidden, NotFound } from '../errors';
import { parseInput } from '../validate';
import { hint } from '../realtime/publish';
import { idSchema } from '$lib/schemas/common';
import { announcementSchema } from '$lib/schemas/events';
import { takeKey, type Queued } from '../outbox';
import { inEvent, type EventScope } from './scope';

export async function postAnnouncement(
	scope: EventScope,
	input: { body?: unknown },
	queued?: Queued
): Promise<{ id: string }> {
	const { actor, eventId } = scope;
	const { body } = parseInput(announcementSchema, input);
	return inEvent(scope, 'plan', async (tx) => {
		// Sent again from a phone's outbox after its first answer was lost: already posted.
		const id = randomUUID();
		const repeat = await takeKey(tx, actor.userId, queued, 'announcement', eventId, id);
		if (repeat) return { id: repeat.resultId ?? id };
		const [row] = await tx
			.insert(announcements)
			.values({ id, eventId, body, authorId: actor.userId })
			.returning({ id: announcements.id });
		await hint(tx, `event:${eventId}`, ['announcements'], [row.id]);
		return row;
	});
}

export async function deleteAnnouncement(scope: EventScope, announcementId: string): Promise<void> {
	const { eventId } = scope;
	parseInput(idSchema, announcementId);
	await inEvent(scope, 'share', async (tx, access) => {
		if (!access.isCaptain) throw new Forbidden('events_error_captains_only');
		const deleted = await tx
			.delete(announcements)
			.where(and(eq(announcements.id, announcementId), eq(announcements.eventId, eventId)))
			.returning({ id: announcements.id });
		if (deleted.length === 0) throw new NotFound('announce_error_not_found');
		await hint(tx, `event:${eventId}`, ['announcements'], [announcementId]);
	});
}
