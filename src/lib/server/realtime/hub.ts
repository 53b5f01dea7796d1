// The socket protocol handler: upgrades, joins and their checks, limits and frames; who is
// joined and present where is kept in registry.ts.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, WebSocket, type RawData } from 'ws';
import { MISSING_TOKEN_REASON, verifyRealtimeToken } from './jwt';
import {
	VSNS,
	channelTopic,
	decodeFrame,
	encodeFrame,
	encodeServerBroadcast,
	parseTopic,
	replyFrame,
	subTopicOf,
	type Message,
	type Payload,
	type Vsn
} from './protocol';
import { createChannelRegistry, type Member, type PresenceMetas } from './registry';

export const REALTIME_PATH = '/realtime/v1/websocket';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type HubLog = (level: LogLevel, message: string, data?: Record<string, unknown>) => void;

export interface HubOptions {
	jwtSecret: string;
	anonKey: string;
	/** `topic` is the sub-topic (`team:<uuid>`), as Supabase's `realtime.topic()` gives it. */
	authorize(topic: string, userId: string): Promise<boolean>;
	/** Default: the Origin's host equals the Host header. A missing Origin is always accepted. */
	allowedOrigin?(origin: string, hostHeader: string): boolean;
	/** Longest silence (no frame at all) from a client before the socket is dropped. */
	heartbeatTimeoutMs?: number;
	/** Longest time a socket may stay open without any joined channel. */
	idleTimeoutMs?: number;
	/** Open sockets per process; further upgrades get 503. */
	maxConnections?: number;
	/** Channels joined at once on one socket. */
	maxJoinsPerSocket?: number;
	/** phx_join frames per socket per second. */
	maxJoinsPerSecond?: number;
	/** Sockets with at least one channel joined as the same user. */
	maxConnectionsPerUser?: number;
	/** Largest client frame; bigger ones close the socket with 1009. */
	maxFrameBytes?: number;
	/** Unsent bytes a slow socket may pile up before it is dropped. */
	maxBufferedBytes?: number;
	/**
	 * Called on every change of this hub's own presence (a track, an untrack, a channel gone),
	 * so other instances can be told (index.ts relays it through NOTIFY).
	 */
	onPresence?(topic: string, joins: PresenceMetas, leaves: PresenceMetas): void;
	log?: HubLog;
}

export type { PresenceMetas };

export interface HubStats {
	connections: number;
	channels: number;
	topics: number;
	presences: number;
}

export interface RecheckResult {
	checked: number;
	closed: number;
}

export interface Hub {
	/**
	 * Takes an HTTP upgrade request. Returns false, without touching the socket, when the path
	 * is not `/realtime/v1/websocket`, so Vite's HMR socket on the same server keeps working.
	 */
	handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
	/** Server-side publish to every socket joined to `realtime:<topic>`; returns sockets reached. */
	broadcast(topic: string, event: string, payload: unknown): number;
	/**
	 * Re-runs authorize() for joined channels: a string is a sub-topic prefix (`team:<id>`,
	 * `event:`), an array a list of exact sub-topics. Channels that lost permission get a
	 * `system` error and `phx_close` before the returned promise resolves.
	 */
	recheckTopics(prefixOrTopics: string | readonly string[]): Promise<RecheckResult>;
	/** This hub's id: the prefix of every phx_ref it makes (unique per process). */
	readonly id: string;
	/**
	 * Another instance's presence diff on a topic: kept (listed in presence_state to later joins)
	 * and passed on to this hub's channels of the topic. Joins already known are not repeated.
	 */
	remotePresence(hubId: string, topic: string, joins: PresenceMetas, leaves: PresenceMetas): void;
	/** Another instance is gone (closed, or silent too long): its people leave every topic. */
	forgetPresence(hubId: string): void;
	/** This hub's own presence, per topic with anyone tracked (for an instance that asks). */
	localPresence(): { topic: string; joins: PresenceMetas }[];
	/**
	 * Cuts every socket as a network failure would and refuses upgrades for `refuseForMs`,
	 * so reconnection can be tested (a browser's offline mode does not cut a WebSocket).
	 */
	dropConnections(refuseForMs?: number): number;
	close(): Promise<void>;
	stats(): HubStats;
}

interface Channel extends Member {
	conn: Conn;
	subTopic: string;
	joinRef: string | null;
	userId: string;
	/** Milliseconds since the epoch. */
	expiresAt: number;
	expiryTimer: NodeJS.Timeout | null;
	presenceEnabled: boolean;
}

interface Conn {
	id: number;
	ws: WebSocket;
	vsn: Vsn;
	lastSeen: number;
	/** When the socket last had no channel; null while it has some. */
	emptySince: number | null;
	channels: Map<string, Channel>;
	/** Per-topic promise chains: one channel's frames are handled in order, like a Phoenix channel process. */
	queues: Map<string, Promise<void>>;
	joinTimes: number[];
	closed: boolean;
}

const unauthorizedRead = (subTopic: string): string =>
	`Unauthorized: You do not have permissions to read from this Channel topic: ${subTopic}`;
const unauthorizedWrite = (subTopic: string): string =>
	`Unauthorized: You do not have permissions to write to this Channel topic: ${subTopic}`;
const lostPermission = (subTopic: string): string =>
	`You no longer have permission to read from this Channel topic: ${subTopic}`;

const REASONS = {
	postgresChanges:
		'PostgresChangesNotSupported: the embedded realtime server supports broadcast and presence only',
	privateOnly: 'PrivateOnly: This project only allows private channels',
	tooManyChannels: 'ChannelRateLimitReached: Too many channels',
	tooManyJoins: 'ClientJoinRateLimitReached: Too many joins per second',
	tooManyConnections: 'ConnectionRateLimitReached: Too many connections for this user',
	checkFailed: 'RealtimeInternalError: could not check permissions for this Channel topic'
} as const;

// setTimeout fires at once for delays beyond 2^31-1 ms; longer waits are re-armed.
const MAX_TIMER_MS = 2_147_483_647;

function sameHost(origin: string, hostHeader: string): boolean {
	try {
		return new URL(origin).host.toLowerCase() === hostHeader.toLowerCase();
	} catch {
		return false;
	}
}

function safeEqual(a: string, b: string): boolean {
	const x = Buffer.from(a);
	const y = Buffer.from(b);
	return x.length === y.length && timingSafeEqual(x, y);
}

function headerValue(value: string | string[] | undefined): string | undefined {
	return Array.isArray(value) ? value[0] : value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

const STATUS_TEXT: Record<number, string> = {
	400: 'Bad Request',
	401: 'Unauthorized',
	403: 'Forbidden',
	503: 'Service Unavailable'
};

function refuseUpgrade(socket: Duplex, status: number, body: string): void {
	if (!socket.writable) {
		socket.destroy();
		return;
	}
	socket.once('finish', () => socket.destroy());
	socket.end(
		`HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\n` +
			'Connection: close\r\n' +
			'Content-Type: text/plain; charset=utf-8\r\n' +
			`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
	);
}

export function createHub(options: HubOptions): Hub {
	if (!options.jwtSecret) throw new TypeError('jwtSecret is required');
	if (!options.anonKey) throw new TypeError('anonKey is required');
	const heartbeatTimeoutMs = options.heartbeatTimeoutMs ?? 60_000;
	const idleTimeoutMs = options.idleTimeoutMs ?? 120_000;
	const maxConnections = options.maxConnections ?? 10_000;
	const maxJoinsPerSocket = options.maxJoinsPerSocket ?? 100;
	const maxJoinsPerSecond = options.maxJoinsPerSecond ?? 20;
	const maxConnectionsPerUser = options.maxConnectionsPerUser ?? 50;
	const maxFrameBytes = options.maxFrameBytes ?? 64 * 1024;
	const maxBufferedBytes = options.maxBufferedBytes ?? 4 * 1024 * 1024;
	const allowedOrigin = options.allowedOrigin ?? sameHost;
	const log: HubLog = options.log ?? (() => {});

	const wss = new WebSocketServer({
		noServer: true,
		clientTracking: false,
		maxPayload: maxFrameBytes,
		perMessageDeflate: false
	});
	const conns = new Set<Conn>();
	// Its id prefixes every phx_ref: unique per hub, so two processes' refs never collide.
	const registry = createChannelRegistry<Channel>();
	let nextConnId = 1;
	let closing = false;
	let refuseUntil = 0;

	const sweepEvery = Math.max(25, Math.min(5_000, Math.min(heartbeatTimeoutMs, idleTimeoutMs) / 4));
	const sweeper = setInterval(sweep, sweepEvery);
	sweeper.unref();

	/** A frame: JSON text (a string, or its UTF-8 bytes encoded once for many sockets) or binary. */
	function sendRaw(conn: Conn, data: string | Buffer, binary = typeof data !== 'string'): void {
		if (conn.closed || conn.ws.readyState !== WebSocket.OPEN) return;
		if (conn.ws.bufferedAmount > maxBufferedBytes) {
			log('warn', 'realtime socket dropped: too slow', { conn: conn.id });
			conn.ws.terminate();
			return;
		}
		conn.ws.send(data, { binary });
	}

	function send(conn: Conn, message: Message): void {
		sendRaw(conn, encodeFrame(message, conn.vsn));
	}

	function reply(conn: Conn, request: Message, status: 'ok' | 'error', response: Payload): void {
		send(conn, replyFrame(request, status, response));
	}

	function localPresenceChanged(topic: string, joins: PresenceMetas, leaves: PresenceMetas): void {
		sendPresenceDiff(topic, joins, leaves);
		options.onPresence?.(topic, joins, leaves);
	}

	function remotePresence(
		hubId: string,
		topic: string,
		joins: PresenceMetas,
		leaves: PresenceMetas
	): void {
		const diff = registry.applyRemote(hubId, topic, joins, leaves);
		if (diff) sendPresenceDiff(topic, diff.joins, diff.leaves);
	}

	function forgetPresence(hubId: string): void {
		for (const { topic, leaves } of registry.forgetRemote(hubId)) {
			sendPresenceDiff(topic, {}, leaves);
		}
	}

	function sendPresenceState(ch: Channel): void {
		send(ch.conn, {
			join_ref: ch.joinRef,
			ref: null,
			topic: ch.topic,
			event: 'presence_state',
			payload: registry.presenceState(ch.topic)
		});
	}

	function sendPresenceDiff(
		topic: string,
		joins: Record<string, { metas: Payload[] }>,
		leaves: Record<string, { metas: Payload[] }>
	): void {
		for (const ch of registry.members(topic)) {
			// A client that never enabled presence would buffer diffs forever waiting for a state.
			if (!ch.presenceEnabled) continue;
			send(ch.conn, {
				join_ref: ch.joinRef,
				ref: null,
				topic,
				event: 'presence_diff',
				payload: { joins, leaves }
			});
		}
	}

	function removeChannel(ch: Channel): void {
		const { conn } = ch;
		if (conn.channels.get(ch.topic) !== ch) return;
		conn.channels.delete(ch.topic);
		if (conn.channels.size === 0) conn.emptySince = Date.now();
		if (ch.expiryTimer) clearTimeout(ch.expiryTimer);
		ch.expiryTimer = null;
		const leaves = registry.leave(ch);
		if (leaves) localPresenceChanged(ch.topic, {}, leaves);
	}

	/** Supabase's way of ending a channel from the server side: `system` error, then phx_close. */
	function shutDownChannel(ch: Channel, message: string): void {
		if (ch.conn.channels.get(ch.topic) !== ch) return;
		send(ch.conn, {
			join_ref: ch.joinRef,
			ref: null,
			topic: ch.topic,
			event: 'system',
			payload: { extension: 'system', status: 'error', message, channel: ch.subTopic }
		});
		send(ch.conn, {
			join_ref: ch.joinRef,
			ref: ch.joinRef,
			topic: ch.topic,
			event: 'phx_close',
			payload: {}
		});
		removeChannel(ch);
		log('info', 'realtime channel closed by server', { topic: ch.topic, message });
	}

	function armExpiry(ch: Channel): void {
		if (ch.expiryTimer) clearTimeout(ch.expiryTimer);
		const delay = Math.max(0, ch.expiresAt - Date.now());
		ch.expiryTimer = setTimeout(
			() => {
				ch.expiryTimer = null;
				if (ch.conn.channels.get(ch.topic) !== ch) return;
				const now = Date.now();
				if (now < ch.expiresAt) {
					armExpiry(ch);
					return;
				}
				const ago = Math.floor((now - ch.expiresAt) / 1000);
				shutDownChannel(ch, `Token has expired ${ago} seconds ago`);
			},
			Math.min(delay, MAX_TIMER_MS)
		);
		ch.expiryTimer.unref();
	}

	function userConnCount(userId: string, except: Conn): number {
		let n = 0;
		for (const c of conns) {
			if (c === except) continue;
			for (const ch of c.channels.values()) {
				if (ch.userId === userId) {
					n += 1;
					break;
				}
			}
		}
		return n;
	}

	async function safeAuthorize(subTopic: string, userId: string): Promise<boolean | null> {
		try {
			return (await options.authorize(subTopic, userId)) === true;
		} catch (err) {
			log('error', 'realtime authorize() failed', { topic: subTopic, error: String(err) });
			return null;
		}
	}

	async function handleJoin(conn: Conn, msg: Message): Promise<void> {
		const { topic } = msg;
		const subTopic = subTopicOf(topic);
		const refuse = (reason: string): void => {
			log('info', 'realtime join refused', { topic, reason });
			reply(conn, msg, 'error', { reason });
		};

		// Phoenix closes the old channel on a duplicate join and then joins afresh.
		const existing = conn.channels.get(topic);
		if (existing) {
			send(conn, {
				join_ref: existing.joinRef,
				ref: existing.joinRef,
				topic,
				event: 'phx_close',
				payload: {}
			});
			removeChannel(existing);
		}

		const now = Date.now();
		conn.joinTimes = conn.joinTimes.filter((t) => now - t < 1_000);
		conn.joinTimes.push(now);
		if (conn.joinTimes.length > maxJoinsPerSecond) return refuse(REASONS.tooManyJoins);
		if (conn.channels.size >= maxJoinsPerSocket) return refuse(REASONS.tooManyChannels);

		const payload = isRecord(msg.payload) ? msg.payload : {};
		const config = isRecord(payload.config) ? payload.config : {};
		const pgChanges = config.postgres_changes;
		if (Array.isArray(pgChanges) && pgChanges.length > 0) return refuse(REASONS.postgresChanges);
		if (config.private !== true) return refuse(REASONS.privateOnly);

		// No token at all: a client that subscribed before its token was known (jwt.ts), told how
		// to avoid it. The anon key in its place (a client without `accessToken`) is an anonymous
		// caller: refused like a non-member, as the reference server does.
		const token = payload.access_token;
		if (token === undefined) return refuse(MISSING_TOKEN_REASON);
		if (typeof token !== 'string' || token.length === 0 || token === options.anonKey) {
			return refuse(unauthorizedRead(subTopic));
		}
		const verified = await verifyRealtimeToken(token, options.jwtSecret);
		if (!verified.ok) return refuse(verified.reason);
		const userId = verified.claims.sub;

		// Only our two topic shapes reach authorize(), so the SQL function never sees junk.
		if (!parseTopic(topic)) return refuse(unauthorizedRead(subTopic));
		if (userConnCount(userId, conn) >= maxConnectionsPerUser) {
			const mine = [...conn.channels.values()].some((c) => c.userId === userId);
			if (!mine) return refuse(REASONS.tooManyConnections);
		}

		const allowed = await safeAuthorize(subTopic, userId);
		if (conn.closed) return;
		if (allowed === null) return refuse(REASONS.checkFailed);
		if (!allowed) return refuse(unauthorizedRead(subTopic));

		const presenceConfig = isRecord(config.presence) ? config.presence : {};
		const key = presenceConfig.key;
		const ch: Channel = {
			conn,
			topic,
			subTopic,
			joinRef: msg.join_ref,
			userId,
			expiresAt: verified.claims.exp * 1000,
			expiryTimer: null,
			// Supabase falls back to a random key; the user id keeps one entry per person instead.
			presenceKey: typeof key === 'string' && key.length > 0 ? key : userId,
			presenceEnabled: presenceConfig.enabled === true,
			presence: null
		};
		conn.channels.set(topic, ch);
		conn.emptySince = null;
		registry.join(ch);
		armExpiry(ch);
		reply(conn, msg, 'ok', { postgres_changes: [] });
		if (ch.presenceEnabled) sendPresenceState(ch);
		log('debug', 'realtime join', { topic, userId });
	}

	function handlePresence(ch: Channel, msg: Message): void {
		const payload = isRecord(msg.payload) ? msg.payload : {};
		const kind = payload.event;
		if (kind === 'track') {
			const raw = isRecord(payload.payload) ? payload.payload : {};
			// The server owns phx_ref; a client must not forge or reuse one.
			const meta: Payload = {};
			for (const [k, v] of Object.entries(raw)) {
				if (k !== 'phx_ref' && k !== 'phx_ref_prev') meta[k] = v;
			}
			if (!ch.presenceEnabled) {
				// Tracking without presence enabled at join: turn it on now, and give the client the
				// state first so its Presence object is synced before the diff arrives.
				ch.presenceEnabled = true;
				sendPresenceState(ch);
			}
			const diff = registry.track(ch, meta);
			reply(ch.conn, msg, 'ok', {});
			localPresenceChanged(ch.topic, diff.joins, diff.leaves);
			return;
		}
		if (kind === 'untrack') {
			const leaves = registry.untrack(ch);
			reply(ch.conn, msg, 'ok', {});
			if (leaves) localPresenceChanged(ch.topic, {}, leaves);
			return;
		}
		reply(ch.conn, msg, 'error', { reason: 'UnknownPresenceEvent: expected track or untrack' });
	}

	async function handleAccessToken(ch: Channel, msg: Message): Promise<void> {
		const payload = isRecord(msg.payload) ? msg.payload : {};
		const token = payload.access_token;
		if (typeof token !== 'string' || token.length === 0 || token === options.anonKey) {
			return shutDownChannel(ch, lostPermission(ch.subTopic));
		}
		const verified = await verifyRealtimeToken(token, options.jwtSecret);
		if (!verified.ok) return shutDownChannel(ch, verified.message);
		const userId = verified.claims.sub;
		const allowed = await safeAuthorize(ch.subTopic, userId);
		if (ch.conn.channels.get(ch.topic) !== ch) return;
		// A failed check keeps the channel: the next refresh (at most 10 minutes) asks again.
		if (allowed === false) return shutDownChannel(ch, lostPermission(ch.subTopic));
		if (allowed === null) return;
		ch.userId = userId;
		ch.expiresAt = verified.claims.exp * 1000;
		armExpiry(ch);
		// No reply: the reference server sent none and supabase-js does not wait for one.
	}

	async function handleChannelMessage(conn: Conn, msg: Message): Promise<void> {
		if (msg.event === 'phx_join') return handleJoin(conn, msg);
		const ch = conn.channels.get(msg.topic);
		if (!ch) {
			reply(conn, msg, 'error', { reason: 'unmatched topic' });
			return;
		}
		switch (msg.event) {
			case 'phx_leave':
				reply(conn, msg, 'ok', {});
				send(conn, {
					join_ref: msg.join_ref,
					ref: msg.ref,
					topic: msg.topic,
					event: 'phx_close',
					payload: {}
				});
				removeChannel(ch);
				return;
			case 'presence':
				return handlePresence(ch, msg);
			case 'access_token':
				return handleAccessToken(ch, msg);
			case 'broadcast':
				// Only the server publishes. Supabase stays silent to a sender without write
				// permission; an error reply is kinder (send() resolves 'error' with ack: true instead
				// of timing out) and harmless with ack: false, where send() already resolved 'ok'.
				log('info', 'realtime client broadcast refused', { topic: msg.topic });
				if (msg.ref !== null) {
					reply(conn, msg, 'error', { reason: unauthorizedWrite(ch.subTopic) });
				}
				return;
			default:
				reply(conn, msg, 'error', { reason: `UnknownEvent: ${msg.event}` });
		}
	}

	function enqueue(conn: Conn, topic: string, task: () => Promise<void>): void {
		const previous = conn.queues.get(topic) ?? Promise.resolve();
		const next = previous
			.then(task)
			.catch((err: unknown) => {
				log('error', 'realtime message handler failed', { topic, error: String(err) });
			})
			.finally(() => {
				if (conn.queues.get(topic) === next) conn.queues.delete(topic);
			});
		conn.queues.set(topic, next);
	}

	function onMessage(conn: Conn, data: RawData, isBinary: boolean): void {
		conn.lastSeen = Date.now();
		const buf = Array.isArray(data)
			? Buffer.concat(data)
			: Buffer.isBuffer(data)
				? data
				: Buffer.from(data);
		const decoded = decodeFrame(buf, isBinary, conn.vsn);
		if (!decoded.ok) {
			log('warn', 'realtime frame rejected', { conn: conn.id, error: decoded.error });
			conn.ws.close(1007, decoded.error.slice(0, 120));
			return;
		}
		const msg = decoded.message;
		if (msg.topic === 'phoenix') {
			if (msg.event === 'heartbeat') reply(conn, msg, 'ok', {});
			else reply(conn, msg, 'error', { reason: 'unmatched topic' });
			return;
		}
		enqueue(conn, msg.topic, () => handleChannelMessage(conn, msg));
	}

	function onClose(conn: Conn): void {
		if (conn.closed) return;
		conn.closed = true;
		conns.delete(conn);
		for (const ch of [...conn.channels.values()]) removeChannel(ch);
	}

	function onConnection(ws: WebSocket, vsn: Vsn): void {
		const now = Date.now();
		const conn: Conn = {
			id: nextConnId++,
			ws,
			vsn,
			lastSeen: now,
			emptySince: now,
			channels: new Map(),
			queues: new Map(),
			joinTimes: [],
			closed: false
		};
		conns.add(conn);
		ws.on('message', (data, isBinary) => onMessage(conn, data, isBinary));
		ws.on('close', () => onClose(conn));
		ws.on('error', (err) => {
			log('warn', 'realtime socket error', { conn: conn.id, error: String(err) });
		});
	}

	function sweep(): void {
		const now = Date.now();
		for (const conn of conns) {
			if (now - conn.lastSeen > heartbeatTimeoutMs) {
				// No close handshake: a silent peer would not answer it either.
				log('info', 'realtime socket dropped: no heartbeat', { conn: conn.id });
				conn.ws.terminate();
				onClose(conn);
			} else if (conn.emptySince !== null && now - conn.emptySince > idleTimeoutMs) {
				log('info', 'realtime socket closed: idle', { conn: conn.id });
				conn.ws.close(1000, 'idle timeout');
			}
		}
	}

	function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
		const url = new URL(req.url ?? '/', 'http://localhost');
		if (url.pathname !== REALTIME_PATH) return false;
		// An upgrade socket has no error listener yet; a reset must not crash the process.
		socket.on('error', () => socket.destroy());
		if (closing) {
			refuseUpgrade(socket, 503, 'shutting down');
			return true;
		}
		const apikey = url.searchParams.get('apikey') ?? headerValue(req.headers.apikey);
		if (!apikey || !safeEqual(apikey, options.anonKey)) {
			refuseUpgrade(socket, 401, 'invalid apikey');
			return true;
		}
		const origin = headerValue(req.headers.origin);
		const host = headerValue(req.headers.host) ?? '';
		if (origin !== undefined && !allowedOrigin(origin, host)) {
			refuseUpgrade(socket, 403, 'origin not allowed');
			return true;
		}
		// Phoenix treats a missing vsn as 1.0.0.
		const vsnParam = url.searchParams.get('vsn') ?? '1.0.0';
		const vsn = VSNS.find((v) => v === vsnParam);
		if (!vsn) {
			refuseUpgrade(socket, 400, 'unsupported vsn');
			return true;
		}
		if (conns.size >= maxConnections) {
			refuseUpgrade(socket, 503, 'too many connections');
			return true;
		}
		if (Date.now() < refuseUntil) {
			refuseUpgrade(socket, 503, 'unavailable');
			return true;
		}
		wss.handleUpgrade(req, socket, head, (ws) => {
			if (closing) {
				ws.close(1001, 'shutting down');
				return;
			}
			onConnection(ws, vsn);
		});
		return true;
	}

	function broadcast(topic: string, event: string, payload: unknown): number {
		const full = channelTopic(topic);
		const set = registry.members(full);
		// One encoding per protocol version, to bytes once: ws would encode a string's UTF-8 again
		// for every socket (a tenth of a fan-out's time to 1,000 sockets, measured here).
		const frames = new Map<Vsn, { data: Buffer; binary: boolean } | null>();
		let reached = 0;
		for (const ch of set) {
			const vsn = ch.conn.vsn;
			if (!frames.has(vsn)) {
				const frame = encodeServerBroadcast(full, event, payload, vsn);
				frames.set(
					vsn,
					frame === null
						? null
						: typeof frame === 'string'
							? { data: Buffer.from(frame), binary: false }
							: { data: frame, binary: true }
				);
			}
			const frame = frames.get(vsn);
			if (!frame) continue;
			sendRaw(ch.conn, frame.data, frame.binary);
			reached += 1;
		}
		return reached;
	}

	async function recheckTopics(prefixOrTopics: string | readonly string[]): Promise<RecheckResult> {
		const wanted =
			typeof prefixOrTopics === 'string'
				? (sub: string) => sub.startsWith(subTopicOf(prefixOrTopics))
				: (() => {
						const exact = new Set(prefixOrTopics.map(subTopicOf));
						return (sub: string) => exact.has(sub);
					})();
		const targets: Channel[] = [];
		for (const [topic, set] of registry.topics()) {
			if (wanted(subTopicOf(topic))) targets.push(...set);
		}
		// One query per (topic, user), however many tabs the user has open.
		const verdicts = new Map<string, Promise<boolean | null>>();
		let closed = 0;
		await Promise.all(
			targets.map(async (ch) => {
				const key = `${ch.subTopic}\u0000${ch.userId}`;
				let verdict = verdicts.get(key);
				if (!verdict) {
					verdict = safeAuthorize(ch.subTopic, ch.userId);
					verdicts.set(key, verdict);
				}
				// null (the check itself failed) keeps the channel; see handleAccessToken.
				if ((await verdict) === false && ch.conn.channels.get(ch.topic) === ch) {
					shutDownChannel(ch, lostPermission(ch.subTopic));
					closed += 1;
				}
			})
		);
		return { checked: targets.length, closed };
	}

	async function close(): Promise<void> {
		closing = true;
		clearInterval(sweeper);
		const pending = [...conns].map(
			(conn) =>
				new Promise<void>((resolve) => {
					if (conn.ws.readyState === WebSocket.CLOSED) return resolve();
					const timer = setTimeout(() => {
						conn.ws.terminate();
						resolve();
					}, 1_000);
					conn.ws.once('close', () => {
						clearTimeout(timer);
						resolve();
					});
					conn.ws.close(1001, 'server shutting down');
				})
		);
		await Promise.all(pending);
		for (const conn of [...conns]) onClose(conn);
		await new Promise<void>((resolve) => wss.close(() => resolve()));
	}

	function stats(): HubStats {
		return { connections: conns.size, ...registry.stats() };
	}

	function dropConnections(refuseForMs = 0): number {
		refuseUntil = Date.now() + refuseForMs;
		const dropped = conns.size;
		for (const conn of [...conns]) conn.ws.terminate();
		return dropped;
	}

	return {
		id: registry.id,
		handleUpgrade,
		broadcast,
		recheckTopics,
		remotePresence,
		forgetPresence,
		localPresence: registry.localPresence,
		dropConnections,
		close,
		stats
	};
}
