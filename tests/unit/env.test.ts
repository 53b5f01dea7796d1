import { describe, expect, it } from 'vitest';
import { ConfigError, readEnv } from '../../src/lib/server/env';

describe('readEnv', () => {
	it('defaults to embedded mode in ./.data with the self realtime endpoint', () => {
		const env = readEnv({});
		expect(env.mode).toBe('embedded');
		expect(env.dataDir.endsWith('/.data')).toBe(true);
		expect(env.realtime).toBe('self');
		expect(env.port).toBe(3000);
	});

	it('switches to postgres mode with DATABASE_URL and disables prepare on the pooler', () => {
		expect(readEnv({ DATABASE_URL: 'postgres://u@h:5432/db' })).toMatchObject({
			mode: 'postgres',
			databasePrepare: true
		});
		expect(readEnv({ DATABASE_URL: 'postgres://u@h:6543/db' }).databasePrepare).toBe(false);
	});

	it('refuses bad settings with a clear message', () => {
		expect(() => readEnv({ DATABASE_URL: 'mysql://x' })).toThrow(ConfigError);
		expect(() => readEnv({ PORT: 'eighty' })).toThrow(/PORT must be an integer/);
		expect(() => readEnv({ REALTIME: 'pusher' })).toThrow(/REALTIME must be/);
		expect(() => readEnv({ REALTIME: 'supabase' })).toThrow(
			/needs DATABASE_URL, PUBLIC_SUPABASE_URL, PUBLIC_SUPABASE_ANON_KEY, SUPABASE_JWT_SECRET/
		);
	});

	it('reads REALTIME_TOPIC_MAX_RATE as a duration, 1 s by default', () => {
		expect(readEnv({}).realtimeTopicMaxRateMs).toBe(1000);
		expect(readEnv({ REALTIME_TOPIC_MAX_RATE: '2s' }).realtimeTopicMaxRateMs).toBe(2000);
		expect(readEnv({ REALTIME_TOPIC_MAX_RATE: '250ms' }).realtimeTopicMaxRateMs).toBe(250);
		expect(readEnv({ REALTIME_TOPIC_MAX_RATE: '0' }).realtimeTopicMaxRateMs).toBe(0);
		expect(readEnv({ REALTIME_TOPIC_MAX_RATE: '1.5s' }).realtimeTopicMaxRateMs).toBe(1500);
		for (const bad of ['fast', '-1s', '2m', '61s', '0.5ms']) {
			expect(() => readEnv({ REALTIME_TOPIC_MAX_RATE: bad })).toThrow(
				/REALTIME_TOPIC_MAX_RATE must be a duration/
			);
		}
	});

	it('reads OFFLINE_CHECKIN_MAX as minutes or hours, 2 h by default, and refuses nonsense', () => {
		expect(readEnv({}).offlineCheckinMaxMinutes).toBe(120);
		expect(readEnv({ OFFLINE_CHECKIN_MAX: '90' }).offlineCheckinMaxMinutes).toBe(90);
		expect(readEnv({ OFFLINE_CHECKIN_MAX: '45m' }).offlineCheckinMaxMinutes).toBe(45);
		expect(readEnv({ OFFLINE_CHECKIN_MAX: '3h' }).offlineCheckinMaxMinutes).toBe(180);
		for (const bad of ['0', '25h', 'two hours', '-5']) {
			expect(() => readEnv({ OFFLINE_CHECKIN_MAX: bad })).toThrow(ConfigError);
		}
	});
});
