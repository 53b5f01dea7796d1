// The self-mode realtime endpoint wired to the app: one hub per process on a globalThis symbol
// (server.js and the Vite plugin hand it upgrades), authorized by the SQL membership function
// and fed by LISTEN, so that notifications from any instance reach this one's sockets.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { eq, sql } from 'drizzle-orm';
import { rowsOf, type Db, type DbHandle, type Unlisten } from '../db';
import { events } from '../db/schema';
import { ConfigError, readEnv, type Env } from '../env';
import { acceptBroadcast, type BroadcastOutcome, type BroadcastRequest } from './broadcast';
import { createHub, type Hub, type HubLog, type HubOptions } from './hub';
import { signRealtimeToken, type SignedToken } from './jwt';
import {
	BROADCAST_CHANNEL,
	MEMBERSHIP_CHANNEL,
	PRESENCE_CHANNEL,
	decodeBroadcast,
	isUuid,
	notifyBroadcasts,
	type BroadcastMessage
} from './notify';
import { loadRealtimeSecrets, type RealtimeSecrets } from './secrets';
import { presenceRelay } from './presence-relay';
import {
	HINT_BURST,
	HINT_EVENT,
	HINT_MAX_WINDOW_MS,
	HINT_WINDOW_MS,
	HintMerger,
	isHint
} from './hints';

export { REALTIME_PATH } from './hub';
export { notifyMembershipChanged, MAX_NOTIFY_BYTES, type BroadcastMessage } from './notify';
export type { BroadcastOutcome, BroadcastRequest } from './broadcast';
export type { RealtimeSecrets } from './secrets';

export type RealtimeEnv = Pick<
	Env,
	'publicSupabaseAnonKey' | 'supabaseJwtSecret' | 'realtimeLimits'
>;

export interface RealtimeOptions {
	/** Default: the process environment. */
	env?: RealtimeEnv;
	log?: HubLog;
	/** Timeouts and limits beyond the environment's, for tests. */
	hub?: Partial<Omit<HubOptions, 'jwtSecret' | 'anonKey' | 'authorize' | 'log' | 'onPresence'>>;
	/** How often this instance tells the others it is alive (tests shorten it). */
	presenceAliveMs?: number;
}

export interface RealtimeServer {
	readonly hub: Hub;
	readonly secrets: RealtimeSecrets;
	/** server.js and the Vite plugin call this; false leaves a non-realtime socket alone. */
	handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
	/** Publishes to every instance (through NOTIFY), outside any caller's transaction. */
	broadcast(messages: readonly BroadcastMessage[]): Promise<void>;
	/** The REST broadcast endpoint's work. */
	acceptBroadcast(request: BroadcastRequest): Promise<BroadcastOutcome>;
	/** Test hook: the next `count` hints of the topic are lost on this instance (a gap). */
	skipHints(topic: string, count?: number): void;
	close(): Promise<void>;
}

const KEY = Symbol.for('tongxing.realtime');
const STARTING = Symbol.for('tongxing.realtime.starting');
type Slots = { [KEY]?: RealtimeServer; [STARTING]?: Promise<RealtimeServer> };
const slots = globalThis as typeof globalThis & Slots;

const consoleLog: HubLog = (level, message, data) => {
	if (level === 'warn' || level === 'error') console[level](`[realtime] ${message}`, data ?? '');
};

/**
 * Runs `public.can_read_topic` as the joining user: `auth.uid()` reads the `sub` claim, set
 * transaction-locally so the pooled connection carries nothing over to the next query.
 */
export async function canReadTopic(db: Db, topic: string, userId: string): Promise<boolean> {
	// auth.uid() casts the claim to uuid; anything else would be an error, not a refusal.
	if (!isUuid(userId)) return false;
	return db.transaction(async (tx) => {
		await tx.execute(sql`select set_config('request.jwt.claim.sub', ${userId}, true)`);
		const [row] = rowsOf<{ allowed: boolean }>(
			await tx.execute(sql`select public.can_read_topic(${topic}) as allowed`)
		);
		return row?.allowed === true;
	});
}

/**
 * The topics whose permission follows membership of a team: the team's own and its events'
 * (readable by members only, drafts by captains only). The hub re-checks only those with
 * open channels, so listing every event costs one query, not one check each.
 */
async function teamTopics(db: Db, teamId: string): Promise<string[]> {
	const rows = await db.select({ id: events.id }).from(events).where(eq(events.teamId, teamId));
	return [`team:${teamId}`, ...rows.flatMap((row) => [`event:${row.id}`, `event-staff:${row.id}`])];
}

/** A hub on `handle` that is not the process's: startRealtime is; tests make several. */
export async function createRealtimeServer(
	handle: DbHandle,
	options: RealtimeOptions = {}
): Promise<RealtimeServer> {
	const env = options.env ?? readEnv();
	const log = options.log ?? consoleLog;
	const secrets = await loadRealtimeSecrets(handle.db, env);
	const limits = env.realtimeLimits;
	// Presence of every instance on the database, not only this one's (presence-relay.ts).
	// Embedded mode has one instance only (the data folder's lock): nothing to relay.
	const relay =
		handle.mode === 'embedded'
			? null
			: presenceRelay(handle.db, () => hub, log, options.presenceAliveMs);
	const hub: Hub = createHub({
		jwtSecret: secrets.jwtSecret,
		anonKey: secrets.anonKey,
		authorize: (topic, userId) => canReadTopic(handle.db, topic, userId),
		maxConnections: limits.maxConnections,
		maxConnectionsPerUser: limits.maxConnectionsPerUser,
		maxJoinsPerSecond: limits.maxJoinsPerSecond,
		maxJoinsPerSocket: limits.maxChannelsPerConnection,
		maxFrameBytes: limits.maxFrameBytes,
		log,
		...options.hub,
		onPresence: relay ? (topic, joins, leaves) => relay.changed(topic, joins, leaves) : undefined
	});

	const onMembership = (teamId: string): void => {
		if (!isUuid(teamId)) {
			log('warn', 'realtime membership notification ignored', { payload: teamId.slice(0, 80) });
			return;
		}
		teamTopics(handle.db, teamId)
			.then((topics) => hub.recheckTopics(topics))
			.then(
				(result) => log('debug', 'realtime membership re-checked', { teamId, ...result }),
				(err: unknown) => log('error', 'realtime re-check failed', { teamId, error: String(err) })
			);
	};
	// A burst of hints on one topic (a 1,000-row change, a sign-up storm) reaches browsers as a
	// few hints at once and then one merged hint per 50 ms, not as hundreds of messages; a steady
	// 20 claims/s on one event still goes out as each commits (bench/fanout measured the delay a
	// plain 50 ms window adds at that rate: up to 50 ms, p95 about 46 ms).
	const merger = new HintMerger(
		(topic, event, payload) => hub.broadcast(topic, event, payload),
		HINT_WINDOW_MS,
		HINT_BURST,
		HINT_MAX_WINDOW_MS
	);
	const skipping = new Map<string, number>();
	const onBroadcast = (text: string): void => {
		const message = decodeBroadcast(text);
		if (!message) {
			log('warn', 'realtime broadcast notification ignored', { payload: text.slice(0, 80) });
			return;
		}
		const skip = skipping.get(message.topic);
		if (skip && message.event === HINT_EVENT) {
			if (skip > 1) skipping.set(message.topic, skip - 1);
			else skipping.delete(message.topic);
			return;
		}
		if (message.event === HINT_EVENT && isHint(message.payload)) {
			merger.push(message.topic, message.payload);
		} else {
			hub.broadcast(message.topic, message.event, message.payload);
		}
	};

	const unlisteners: Unlisten[] = [];
	try {
		unlisteners.push(await handle.listen(MEMBERSHIP_CHANNEL, onMembership));
		unlisteners.push(await handle.listen(BROADCAST_CHANNEL, onBroadcast));
		if (relay) {
			unlisteners.push(
				await handle.listen(
					PRESENCE_CHANNEL,
					(text) => relay.heard(text),
					() => relay.resync()
				)
			);
			relay.resync();
		}
	} catch (err) {
		await Promise.allSettled(unlisteners.map((unlisten) => unlisten()));
		await relay?.close();
		await hub.close();
		throw err;
	}

	let closing: Promise<void> | undefined;
	const server: RealtimeServer = {
		hub,
		secrets,
		handleUpgrade: (req, socket, head) => hub.handleUpgrade(req, socket, head),
		broadcast: (messages) => notifyBroadcasts(handle.db, messages),
		acceptBroadcast: (request) =>
			acceptBroadcast(request, { db: handle.db, jwtSecret: secrets.jwtSecret }),
		skipHints: (topic, count = 1) => void skipping.set(topic, count),
		close() {
			closing ??= (async () => {
				if (slots[KEY] === server) delete slots[KEY];
				// Stop hearing notifications first: a re-check must not query a closing database.
				await Promise.allSettled(unlisteners.map((unlisten) => unlisten()));
				merger.close();
				// Goodbye first: the other instances drop this one's people at once.
				await relay?.close();
				await hub.close();
			})();
			return closing;
		}
	};
	return server;
}

/**
 * Starts the process's hub once (later calls get the same one) and registers it where
 * server.js and the Vite plugin look for it.
 */
export function startRealtime(
	handle: DbHandle,
	options: RealtimeOptions = {}
): Promise<RealtimeServer> {
	const running = slots[KEY];
	if (running) return Promise.resolve(running);
	const starting = slots[STARTING];
	if (starting) return starting;
	const next = createRealtimeServer(handle, options)
		.then((server) => {
			slots[KEY] = server;
			return server;
		})
		.finally(() => {
			if (slots[STARTING] === next) delete slots[STARTING];
		});
	slots[STARTING] = next;
	return next;
}

/** The process's hub, once started (self mode only). */
export function getRealtime(): RealtimeServer | undefined {
	return slots[KEY];
}

/** Closes the process's hub; server.js calls `.close()` on it directly. */
export async function stopRealtime(): Promise<void> {
	const starting = slots[STARTING];
	const server = slots[KEY] ?? (starting ? await starting.catch(() => undefined) : undefined);
	await server?.close();
}

async function clientSecrets(): Promise<Pick<RealtimeSecrets, 'anonKey' | 'jwtSecret'>> {
	const env = readEnv();
	if (env.realtime === 'supabase') {
		// readEnv refuses supabase mode without both; this only narrows the types.
		if (!env.publicSupabaseAnonKey || !env.supabaseJwtSecret) {
			throw new ConfigError(
				'REALTIME=supabase needs PUBLIC_SUPABASE_ANON_KEY and SUPABASE_JWT_SECRET'
			);
		}
		return { anonKey: env.publicSupabaseAnonKey, jwtSecret: env.supabaseJwtSecret };
	}
	const server = slots[KEY] ?? (await slots[STARTING]);
	if (!server) throw new Error('The realtime endpoint is not started (startApp starts it)');
	return server.secrets;
}

/** The key browsers pass as supabase-js's `supabaseKey`, in either realtime mode. */
export async function getAnonKey(): Promise<string> {
	return (await clientSecrets()).anonKey;
}

/** A realtime token for the user, in either realtime mode: 10 minutes at most. */
export async function mintRealtimeToken(userId: string): Promise<SignedToken> {
	// Supabase Realtime re-checks a channel only when a token changes: keep them short there.
	const ttlSeconds = readEnv().realtime === 'supabase' ? SUPABASE_TOKEN_TTL_SECONDS : undefined;
	return signRealtimeToken(userId, (await clientSecrets()).jwtSecret, { ttlSeconds });
}

export const SUPABASE_TOKEN_TTL_SECONDS = 5 * 60;
