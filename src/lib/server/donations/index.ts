export * from './commands';
export * from './queries';
export { donationsCsv, toCsv, attachment, BOM } from './csv';
export type { DonationPowers } from './policy';
