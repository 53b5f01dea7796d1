// What a live page hands the browser's supabase-js: where Realtime is and the anon key.
// In self mode PUBLIC_SUPABASE_URL defaults to the app's own origin.
import { appEnv } from '../app';
import { getAnonKey } from './index';

export interface RealtimeClientConfig {
	url: string;
	anonKey: string;
}

export async function realtimeClientConfig(origin: string): Promise<RealtimeClientConfig> {
	return { url: appEnv().publicSupabaseUrl ?? origin, anonKey: await getAnonKey() };
}
