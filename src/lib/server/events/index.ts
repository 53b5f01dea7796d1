export * from './lifecycle';
export * from './checklist';
export * from './announcements';
export * from './queries';
export * from './policy';
export {
	readEventAccess,
	requireEvent,
	type AccessMemo,
	type EventAccess,
	type EventRow
} from './access';
export * from './day-sheet';
export { inEvent, requireScope, type EventNeed, type EventScope } from './scope';
export type { EventStatus } from '../db/schema';
