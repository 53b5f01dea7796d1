// Labels and times of tasks, shared by the board, a task's page, "My day" and the event page.
import * as m from '$lib/paraglide/messages';
import type { NoticeKind, Readiness, TaskKind } from '$lib/task-kinds';
import { hhmm, minutesOf } from '$lib/time';

export const kindLabels: Record<TaskKind, () => string> = {
	performance: m.tasks_kind_performance,
	tutoring: m.tasks_kind_tutoring,
	donation: m.tasks_kind_donation,
	publicity: m.tasks_kind_publicity,
	logistics: m.tasks_kind_logistics,
	support: m.tasks_kind_support,
	other: m.tasks_kind_other
};

export const readinessLabels: Record<Readiness, () => string> = {
	idea: m.perf_state_idea,
	rehearsing: m.perf_state_rehearsing,
	ready_for_check: m.perf_state_ready_for_check,
	approved: m.perf_state_approved
};

export function noticeText(notice: {
	kind: NoticeKind;
	taskTitle: string | null;
	subjectName: string | null;
}): string {
	const task = notice.taskTitle ?? '';
	switch (notice.kind) {
		case 'promoted':
			return m.tasks_notice_promoted({ task });
		case 'assigned':
			return m.tasks_notice_assigned({ task });
		case 'removed':
			return m.tasks_notice_removed({ task });
		case 'moved_to_waitlist':
			return m.tasks_notice_moved_to_waitlist({ task });
		case 'late_withdrawal':
			return m.tasks_notice_late_withdrawal({ task, name: notice.subjectName ?? '' });
	}
}

/** `09:00–10:30` (wall clock of the event's zone, as stored). */
export function timeRange(startTime: string, endTime: string): string {
	return `${hhmm(minutesOf(startTime))}–${hhmm(minutesOf(endTime))}`;
}
