export * from './commands';
export * from './queries';
export * from './board';
export * from './hours';
export { currentCode, isCodeValid, windowOf, CODE_WINDOW_SECONDS } from './code';
export { requireDayAccess, type DayAccess } from './staff';
