// A page part's live topic (reactive state for Svelte): see connection.ts for the tab's one
// socket, the shared channels and how hints reach live boards or become invalidations.
import {
	channels,
	SharedChannel,
	type ConnectionState,
	type PresentMember,
	type RealtimeConfig
} from './connection';

export { listenHints } from './connection';
export type { ConnectionState, HintListener, PresentMember, RealtimeConfig } from './connection';

/** A page part's handle on a topic: its connection state and who is here. */
export class LiveTopic {
	state: ConnectionState = $state('connecting');
	present: PresentMember[] = $state([]);

	readonly #topic: string;
	readonly #config: RealtimeConfig;
	readonly #me: PresentMember;
	#shared: SharedChannel | null = null;

	constructor(topic: string, config: RealtimeConfig, me: PresentMember) {
		this.#topic = topic;
		this.#config = config;
		this.#me = me;
	}

	/** Loads the Realtime client lazily (after first paint) and joins the private channel. */
	async start(): Promise<void> {
		let shared = channels.get(this.#topic);
		if (!shared || shared.me.userId !== this.#me.userId) {
			if (shared) void shared.leave();
			shared = new SharedChannel(this.#topic, this.#me);
			channels.set(this.#topic, shared);
			shared.use(this);
			this.#shared = shared;
			await shared.join(this.#config);
			return;
		}
		shared.use(this);
		this.#shared = shared;
	}

	async stop(): Promise<void> {
		this.#shared?.release(this);
		this.#shared = null;
	}
}
