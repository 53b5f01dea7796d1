export * from './commands';
export * from './queries';
export * from './data';
export * from './deletion';
