export * from './commands';
export * from './queries';
export * from './link';
export { eraseExpiredContacts } from './erasure';
export { withLinkLimit } from './guard';
export { DEFAULT_LINK_DAYS_AFTER, WARN_DAYS_BEFORE } from './policy';
export type { ContactState, ScheduleChange } from '../db/schema';
