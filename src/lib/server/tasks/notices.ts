// The viewer's unread notices of an event (moved, promoted, assigned…), shown on the board and My day.
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Queryable } from '../db';
import { prepared } from '../db/reuse-built-queries';
import { taskNotices, tasks } from '../db/schema';
import { displayNameOf } from '../db/display-name';
import type { Actor } from '../teams/types';
import type { NoticeKind } from '$lib/task-kinds';

export interface NoticeView {
	id: string;
	kind: NoticeKind;
	taskId: string | null;
	taskTitle: string | null;
	subjectName: string | null;
	createdAt: Date;
}

// Read on every load of the board and of My day: built once per database (see ../db/reuse-built-queries.ts).
const unreadNotices = prepared((db) => {
	return db
		.select({
			id: taskNotices.id,
			kind: taskNotices.kind,
			taskId: taskNotices.taskId,
			taskTitle: tasks.title,
			subjectName: displayNameOf(taskNotices.subjectId),
			createdAt: taskNotices.createdAt
		})
		.from(taskNotices)
		.leftJoin(tasks, eq(tasks.id, taskNotices.taskId))
		.where(
			and(
				eq(taskNotices.userId, sql.placeholder('userId')),
				eq(taskNotices.eventId, sql.placeholder('eventId')),
				isNull(taskNotices.readAt)
			)
		)
		.orderBy(desc(taskNotices.createdAt))
		.limit(20)
		.prepare('unread_notices');
});

export async function noticesFor(
	db: Queryable,
	actor: Actor,
	eventId: string
): Promise<NoticeView[]> {
	return unreadNotices(db).execute({ userId: actor.userId, eventId }) as Promise<NoticeView[]>;
}
