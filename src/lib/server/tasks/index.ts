export * from './commands';
export * from './signups';
export * from './performance';
export * from './queries';
export * from './policy';
