export * from './members';
export * from './invites';
export * from './queries';
export * from './policy';
export type { Actor } from './types';
