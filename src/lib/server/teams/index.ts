export * from './commands';
export * from './queries';
export * from './policy';
export type { Actor } from './types';
