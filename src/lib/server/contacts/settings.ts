// How long the contact's details are kept after the event: CONTACT_RETENTION_DAYS, read once.
import { readEnv } from '../env';

let retention: number | undefined;

export function retentionDays(): number {
	retention ??= readEnv().contactRetentionDays;
	return retention;
}
