export * from './system';
export * from './auth';
export * from './teams';
export * from './events';
export * from './groups';
export * from './agenda';
