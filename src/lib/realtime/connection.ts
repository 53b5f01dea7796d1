// The browser side of live pages. One Realtime client and socket per tab, shared by every live
// part of every page (event, staff and team topics, presence); it outlives navigation between
// the app's pages. Each topic is one supabase-js Realtime channel (@supabase/realtime-js, what
// `createClient(...).channel()` runs, without auth, PostgREST and storage), joined once however
// many parts of the page use it, and left a few seconds after the last one stops: a person
// changing page stays present instead of leaving and joining again.
//
// Channel messages are hints. A live board (live-board.ts) listening for a topic's kinds
// applies them itself; every other kind becomes `invalidate('app:<topic>:<kind>')`, so fresh
// data always comes through the server's loads and their permission checks.
import { invalidate } from '$app/navigation';
import { navigating } from '$app/state';
import type { RealtimeChannel, RealtimeClient } from '@supabase/realtime-js';
import { hintBatcher, type HintBatcher } from './hint-batcher';

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

/** What a page part shows of a channel: updated as the channel's state changes. */
export interface Viewer {
	state: ConnectionState;
	present: PresentMember[];
}

/**
 * A page part that applies a topic's hints of some kinds itself (a live board). `receive` and
 * `resync` may give kinds back: those become the page's invalidations after all (batched, after
 * any navigation, as for kinds nobody listens to).
 */
export interface HintListener {
	kinds: readonly string[];
	receive(payload: unknown): readonly string[] | void;
	/** After a reconnect: hints sent meanwhile are lost. */
	resync(): readonly string[] | void;
}

/** The kinds a listener keeps for itself, once it has seen a hint or a resync. */
function kept(listener: HintListener, givenBack: readonly string[] | void): string[] {
	return listener.kinds.filter((kind) => !givenBack?.includes(kind));
}

const THROTTLE_MS = 300;
const TOKEN_MARGIN_MS = 60_000;
// Tokens live 10 minutes (5 on Supabase): refresh well before either ends.
const TOKEN_REFRESH_MS = 3 * 60_000;
/** A channel nobody uses is left after this long (a page change rejoins nothing). */
const LINGER_MS = 5_000;

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

/** The tab's one client, made on first use; a new one when another person signs in. */
let connection: Promise<RealtimeClient> | null = null;
let connectionUser: string | null = null;
let tokenTimer: ReturnType<typeof setInterval> | null = null;

function sharedClient(config: RealtimeConfig, userId: string): Promise<RealtimeClient> {
	if (connection && connectionUser !== userId) {
		const old = connection;
		for (const shared of [...channels.values()]) void shared.leave();
		if (tokenTimer) clearInterval(tokenTimer);
		void old.then((client) => client.disconnect());
		connection = null;
	}
	connectionUser = userId;
	connection ??= (async () => {
		const { RealtimeClient } = await import('@supabase/realtime-js');
		const tokens = new TokenSource();
		// As supabase-js builds it: <url>/realtime/v1 over ws(s), the anon key as `apikey`.
		const endpoint = `${config.url.replace(/\/+$/, '').replace(/^http/, 'ws')}/realtime/v1`;
		const client = new RealtimeClient(endpoint, {
			params: { apikey: config.anonKey },
			accessToken: async () => (await tokens.get()) ?? config.anonKey
		});
		tokenTimer = setInterval(() => void client.setAuth(), TOKEN_REFRESH_MS);
		await client.setAuth();
		return client;
	})();
	return connection;
}

const listeners = new Map<string, Set<HintListener>>();
/** The tab's joined topics. */
export const channels = new Map<string, SharedChannel>();

/** A live board takes over these kinds of the topic's hints for as long as it listens. */
export function listenHints(topic: string, listener: HintListener): () => void {
	let set = listeners.get(topic);
	if (!set) listeners.set(topic, (set = new Set()));
	set.add(listener);
	return () => {
		set.delete(listener);
		if (set.size === 0) listeners.delete(topic);
	};
}

/**
 * An invalidation started while a navigation is under way cancels that navigation in
 * SvelteKit (the newer load wins): someone tapping a link just as a hint arrives would stay
 * where they were. Wait for the navigation to finish, then reload.
 */
function whenSettled(run: () => Promise<void>): void {
	if (navigating.to) {
		setTimeout(() => whenSettled(run), 100);
		return;
	}
	void run();
}

/** One joined topic, shared by the LiveTopics of every part that shows it. */
export class SharedChannel {
	state: ConnectionState = 'connecting';
	present: PresentMember[] = [];
	readonly users = new Set<Viewer>();
	#channel: RealtimeChannel | null = null;
	#client: RealtimeClient | null = null;
	#wasLive = false;
	/** A join refused, timed out or cut before it first succeeded: the page's data may be old. */
	#wasDelayed = false;
	#left = false;
	#linger: ReturnType<typeof setTimeout> | null = null;
	// Plain, not reactive: one reload per 300 ms for all the kinds nobody else applies.
	readonly #hints: HintBatcher;

	constructor(
		readonly topic: string,
		readonly me: PresentMember
	) {
		this.#hints = hintBatcher((kinds) => this.#invalidate(kinds), THROTTLE_MS);
	}

	async join(config: RealtimeConfig): Promise<void> {
		const client = await sharedClient(config, this.me.userId);
		if (this.#left) return;
		this.#client = client;
		const channel = client.channel(this.topic, {
			config: { private: true, presence: { key: this.me.userId } }
		});
		this.#channel = channel;
		channel.on('broadcast', { event: '*' }, ({ payload }) => this.#onHint(payload));
		channel.on('presence', { event: 'sync' }, () => this.#onPresence(channel));
		channel.subscribe((status) => {
			if (this.#left) return;
			if (status === 'SUBSCRIBED') {
				// Messages sent while we were away are not replayed: refetch everything of the topic.
				// So too when the first join only came after a failure (the server was restarting,
				// the signal gone): the page's data is from before that.
				if (this.#wasLive || this.#wasDelayed) this.#resync();
				this.#wasLive = true;
				this.#wasDelayed = false;
				this.#set('live');
				void channel.track({ name: this.me.name, group: this.me.group ?? null });
			} else if (status === 'CLOSED') {
				this.#set('offline');
			} else {
				this.#wasDelayed = true;
				this.#set(this.#wasLive ? 'reconnecting' : 'connecting');
			}
		});
	}

	use(topic: Viewer): void {
		if (this.#linger) clearTimeout(this.#linger);
		this.#linger = null;
		this.users.add(topic);
		topic.state = this.state;
		topic.present = this.present;
	}

	release(topic: Viewer): void {
		this.users.delete(topic);
		if (this.users.size > 0 || this.#linger) return;
		this.#linger = setTimeout(() => {
			this.#linger = null;
			if (this.users.size === 0) void this.leave();
		}, LINGER_MS);
	}

	async leave(): Promise<void> {
		this.#left = true;
		this.#hints.close();
		if (channels.get(this.topic) === this) channels.delete(this.topic);
		if (this.#client && this.#channel) await this.#client.removeChannel(this.#channel);
	}

	#set(state: ConnectionState): void {
		this.state = state;
		for (const user of this.users) user.state = state;
	}

	#onHint(payload: unknown): void {
		const taken = new Set<string>();
		for (const listener of listeners.get(this.topic) ?? []) {
			for (const kind of kept(listener, listener.receive(payload))) taken.add(kind);
		}
		const kinds = (payload as { kinds?: unknown } | null)?.kinds;
		if (!Array.isArray(kinds)) return;
		const rest = kinds.filter((kind) => !taken.has(kind as string));
		if (rest.length > 0) this.#hints.add(rest);
	}

	#invalidate(kinds: string[]): void {
		const dependencies = kinds.map((kind) => `app:${this.topic}:${kind}`);
		whenSettled(() => invalidate((url) => dependencies.includes(url.href)));
	}

	#resync(): void {
		const taken = new Set<string>();
		for (const listener of listeners.get(this.topic) ?? []) {
			for (const kind of kept(listener, listener.resync())) taken.add(kind);
		}
		const prefix = `app:${this.topic}:`;
		whenSettled(() =>
			invalidate((url) => url.href.startsWith(prefix) && !taken.has(url.href.slice(prefix.length)))
		);
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
		for (const user of this.users) user.present = people;
	}
}
