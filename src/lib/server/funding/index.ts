export * from './commands';
export * from './queries';
export { ledgerCsv } from './csv';
