export * from './commands';
export * from './reset-links';
export * from './queries';
export * from './data';
export * from './deletion';
