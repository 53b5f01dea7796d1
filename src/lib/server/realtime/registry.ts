// Who is joined to which topic and who is present there, this hub's channels and the presence
// other instances relay: plain data (no sockets, no database), so hub.ts decides what to send
// and this decides what the state is.
import { randomBytes } from 'node:crypto';
import type { Payload } from './protocol';

/** Presence by key, each with its metas (`phx_ref` included), as presence_diff carries them. */
export type PresenceMetas = Record<string, { metas: Payload[] }>;

export interface PresenceEntry {
	phxRef: string;
	meta: Payload;
}

/** What the registry keeps of a joined channel; the hub's channels carry their socket beside it. */
export interface Member {
	/** The full topic (`realtime:event:<uuid>`). */
	topic: string;
	presenceKey: string;
	presence: PresenceEntry | null;
}

export interface PresenceDiff {
	joins: PresenceMetas;
	leaves: PresenceMetas;
}

export interface RegistryStats {
	channels: number;
	topics: number;
	presences: number;
}

export interface ChannelRegistry<C extends Member> {
	/** The prefix of every phx_ref this registry makes (the hub's id, unique per process). */
	readonly id: string;
	join(ch: C): void;
	/** Takes the channel off its topic; returns the presence it leaves, if it had one. */
	leave(ch: C): PresenceMetas | null;
	/** The channels joined to a topic (empty when none). */
	members(topic: string): ReadonlySet<C>;
	/** Every topic with anyone joined, and its channels. */
	topics(): IterableIterator<[string, ReadonlySet<C>]>;
	/** Tracks `meta` for the channel under a new phx_ref, replacing what it tracked before. */
	track(ch: C, meta: Payload): PresenceDiff;
	/** Stops tracking; returns the presence that left, if there was one. */
	untrack(ch: C): PresenceMetas | null;
	/** This instance's presence on a topic. */
	localState(topic: string): PresenceMetas;
	/** Everyone present on a topic, here and on the other instances (a `presence_state`). */
	presenceState(topic: string): PresenceMetas;
	/** This instance's presence, per topic with anyone tracked. */
	localPresence(): { topic: string; joins: PresenceMetas }[];
	/**
	 * Keeps another instance's presence diff; returns what is new to this one (joins already
	 * known and leaves never seen dropped), or null when nothing changed. Its own id is ignored.
	 */
	applyRemote(
		hubId: string,
		topic: string,
		joins: PresenceMetas,
		leaves: PresenceMetas
	): PresenceDiff | null;
	/** Forgets another instance; returns, per topic, the presence that leaves with it. */
	forgetRemote(hubId: string): { topic: string; leaves: PresenceMetas }[];
	stats(): RegistryStats;
}

function add(into: PresenceMetas, key: string, meta: Payload): void {
	(into[key] ??= { metas: [] }).metas.push(meta);
}

const isEmpty = (metas: PresenceMetas): boolean => Object.keys(metas).length === 0;

export function createChannelRegistry<C extends Member>(
	id: string = randomBytes(4).toString('hex')
): ChannelRegistry<C> {
	const topics = new Map<string, Set<C>>();
	/** Other instances' presence: hub id → topic → phx_ref → its key and meta. */
	const remote = new Map<string, Map<string, Map<string, { key: string; meta: Payload }>>>();
	let refCounter = 0;
	const none: ReadonlySet<C> = new Set();

	function newPhxRef(): string {
		refCounter += 1;
		return `${id}${refCounter.toString(36)}`;
	}

	const left = (ch: C, entry: PresenceEntry): PresenceMetas => ({
		[ch.presenceKey]: { metas: [{ ...entry.meta, phx_ref: entry.phxRef }] }
	});

	function localState(topic: string): PresenceMetas {
		const state: PresenceMetas = {};
		for (const ch of topics.get(topic) ?? []) {
			if (ch.presence)
				add(state, ch.presenceKey, { ...ch.presence.meta, phx_ref: ch.presence.phxRef });
		}
		return state;
	}

	return {
		id,
		join(ch) {
			let set = topics.get(ch.topic);
			if (!set) topics.set(ch.topic, (set = new Set()));
			set.add(ch);
		},
		leave(ch) {
			const set = topics.get(ch.topic);
			set?.delete(ch);
			if (set && set.size === 0) topics.delete(ch.topic);
			const previous = ch.presence;
			ch.presence = null;
			return previous ? left(ch, previous) : null;
		},
		members: (topic) => topics.get(topic) ?? none,
		topics: () => topics.entries(),
		track(ch, meta) {
			const previous = ch.presence;
			const phxRef = newPhxRef();
			ch.presence = { phxRef, meta };
			const joined: Payload = { ...meta, phx_ref: phxRef };
			if (previous) joined.phx_ref_prev = previous.phxRef;
			return {
				joins: { [ch.presenceKey]: { metas: [joined] } },
				leaves: previous ? left(ch, previous) : {}
			};
		},
		untrack(ch) {
			const previous = ch.presence;
			ch.presence = null;
			return previous ? left(ch, previous) : null;
		},
		localState,
		presenceState(topic) {
			const state = localState(topic);
			for (const byTopic of remote.values()) {
				for (const { key, meta } of byTopic.get(topic)?.values() ?? []) add(state, key, meta);
			}
			return state;
		},
		localPresence() {
			return [...topics.keys()]
				.map((topic) => ({ topic, joins: localState(topic) }))
				.filter(({ joins }) => !isEmpty(joins));
		},
		applyRemote(hubId, topic, joins, leaves) {
			if (hubId === id) return null;
			let byTopic = remote.get(hubId);
			if (!byTopic) remote.set(hubId, (byTopic = new Map()));
			let entries = byTopic.get(topic);
			if (!entries) byTopic.set(topic, (entries = new Map()));
			const gone: PresenceMetas = {};
			for (const [key, { metas }] of Object.entries(leaves)) {
				for (const meta of metas) {
					const ref = meta.phx_ref;
					if (typeof ref === 'string' && entries.delete(ref)) add(gone, key, meta);
				}
			}
			const joined: PresenceMetas = {};
			for (const [key, { metas }] of Object.entries(joins)) {
				for (const meta of metas) {
					const ref = meta.phx_ref;
					if (typeof ref !== 'string' || entries.has(ref)) continue;
					entries.set(ref, { key, meta });
					add(joined, key, meta);
				}
			}
			if (entries.size === 0) byTopic.delete(topic);
			if (byTopic.size === 0) remote.delete(hubId);
			return isEmpty(joined) && isEmpty(gone) ? null : { joins: joined, leaves: gone };
		},
		forgetRemote(hubId) {
			const byTopic = remote.get(hubId);
			if (!byTopic) return [];
			remote.delete(hubId);
			return [...byTopic].map(([topic, entries]) => {
				const leaves: PresenceMetas = {};
				for (const { key, meta } of entries.values()) add(leaves, key, meta);
				return { topic, leaves };
			});
		},
		stats() {
			let channels = 0;
			let presences = 0;
			for (const set of topics.values()) {
				channels += set.size;
				for (const ch of set) if (ch.presence) presences += 1;
			}
			return { channels, topics: topics.size, presences };
		}
	};
}
