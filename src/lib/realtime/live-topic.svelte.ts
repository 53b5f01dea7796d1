// The browser side of live pages: one supabase-js Realtime channel per team or event page.
// Only Realtime is used, so the client is supabase-js's own Realtime package
// (@supabase/realtime-js, what `createClient(...).channel()` runs), made as `createClient`
// makes it, without auth, PostgREST and storage: half the JavaScript a board loads.
// Channel messages are hints; each becomes `invalidate('app:<topic>:<kind>')`, so fresh data
// always comes through the server's loads and their permission checks.
import { invalidate } from '$app/navigation';
import { navigating } from '$app/state';
import type { RealtimeChannel, RealtimeClient } from '@supabase/realtime-js';
import { hintBatcher } from './hint-batcher';

export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'offline';

export interface RealtimeConfig {
	url: string;
	anonKey: string;
}

export interface PresentMember {
	userId: string;
	name: string;
	group?: string;
}

const THROTTLE_MS = 300;
const TOKEN_MARGIN_MS = 60_000;
// Tokens live 10 minutes (5 on Supabase): refresh well before either ends.
const TOKEN_REFRESH_MS = 3 * 60_000;

/** Fetches and caches the short-lived realtime token minted from the session. */
class TokenSource {
	#token: string | null = null;
	#expiresAt = 0;
	#pending: Promise<string | null> | null = null;

	get(): Promise<string | null> {
		if (this.#token && Date.now() < this.#expiresAt - TOKEN_MARGIN_MS) {
			return Promise.resolve(this.#token);
		}
		this.#pending ??= this.#fetch().finally(() => {
			this.#pending = null;
		});
		return this.#pending;
	}

	async #fetch(): Promise<string | null> {
		const response = await fetch('/api/realtime/token', { credentials: 'same-origin' });
		if (!response.ok) return null;
		const body = (await response.json()) as { token: string; expiresAt: number | string };
		this.#token = body.token;
		this.#expiresAt = new Date(body.expiresAt).getTime();
		return this.#token;
	}
}

export class LiveTopic {
	state: ConnectionState = $state('connecting');
	present: PresentMember[] = $state([]);

	readonly #topic: string;
	readonly #config: RealtimeConfig;
	readonly #me: PresentMember;
	readonly #tokens = new TokenSource();
	// Plain, not reactive: nothing renders from it. One reload per 300 ms for all kinds at once.
	readonly #hints = hintBatcher((kinds) => this.#invalidate(kinds), THROTTLE_MS);
	#client: RealtimeClient | null = null;
	#channel: RealtimeChannel | null = null;
	#refresh: ReturnType<typeof setInterval> | null = null;
	#wasLive = false;
	#closed = false;

	constructor(topic: string, config: RealtimeConfig, me: PresentMember) {
		this.#topic = topic;
		this.#config = config;
		this.#me = me;
	}

	/** Loads the Realtime client lazily (after first paint) and joins the private channel. */
	async start(): Promise<void> {
		const { RealtimeClient } = await import('@supabase/realtime-js');
		if (this.#closed) return;
		// As supabase-js builds it: <url>/realtime/v1 over ws(s), the anon key as `apikey`.
		const endpoint = `${this.#config.url.replace(/\/+$/, '').replace(/^http/, 'ws')}/realtime/v1`;
		const client = new RealtimeClient(endpoint, {
			params: { apikey: this.#config.anonKey },
			accessToken: async () => (await this.#tokens.get()) ?? this.#config.anonKey
		});
		this.#client = client;
		this.#refresh = setInterval(() => void client.setAuth(), TOKEN_REFRESH_MS);
		await client.setAuth();
		if (this.#closed) return;

		const channel = client.channel(this.#topic, {
			config: { private: true, presence: { key: this.#me.userId } }
		});
		this.#channel = channel;
		channel.on('broadcast', { event: '*' }, ({ payload }) => this.#onHint(payload));
		channel.on('presence', { event: 'sync' }, () => this.#onPresence(channel));
		channel.subscribe((status) => {
			if (this.#closed) return;
			if (status === 'SUBSCRIBED') {
				// Messages sent while we were away are not replayed: refetch everything of the topic.
				if (this.#wasLive) this.#invalidateAll();
				this.#wasLive = true;
				this.state = 'live';
				void channel.track({ name: this.#me.name, group: this.#me.group ?? null });
			} else if (status === 'CLOSED') {
				this.state = 'offline';
			} else {
				this.state = this.#wasLive ? 'reconnecting' : 'connecting';
			}
		});
	}

	#onHint(hint: unknown): void {
		this.#hints.add((hint as { kinds?: unknown } | null)?.kinds);
	}

	#invalidate(kinds: string[]): void {
		const dependencies = kinds.map((kind) => `app:${this.#topic}:${kind}`);
		this.#whenSettled(() => invalidate((url) => dependencies.includes(url.href)));
	}

	#invalidateAll(): void {
		const prefix = `app:${this.#topic}:`;
		this.#whenSettled(() => invalidate((url) => url.href.startsWith(prefix)));
	}

	/**
	 * An invalidation started while a navigation is under way cancels that navigation in
	 * SvelteKit (the newer load wins): someone tapping a link just as a hint arrives would stay
	 * where they were. Wait for the navigation to finish, then reload.
	 */
	#whenSettled(run: () => Promise<void>): void {
		if (this.#closed) return;
		if (navigating.to) {
			setTimeout(() => this.#whenSettled(run), 100);
			return;
		}
		void run();
	}

	#onPresence(channel: RealtimeChannel): void {
		const state = channel.presenceState<{ name?: string; group?: string | null }>();
		const people: PresentMember[] = [];
		for (const [userId, metas] of Object.entries(state)) {
			const meta = metas[0];
			if (!meta) continue;
			people.push({ userId, name: meta.name ?? '', group: meta.group ?? undefined });
		}
		people.sort((a, b) => a.name.localeCompare(b.name));
		this.present = people;
	}

	async stop(): Promise<void> {
		this.#closed = true;
		this.#hints.close();
		if (this.#refresh) clearInterval(this.#refresh);
		if (this.#client && this.#channel) await this.#client.removeChannel(this.#channel);
		await this.#client?.disconnect();
	}
}
