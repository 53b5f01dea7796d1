import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'vitest';
import { WebSocket } from 'ws';
import { createHub, type Hub, type HubOptions } from '../../src/lib/server/realtime/hub';
import { signClaimsForTest, signRealtimeToken } from '../../src/lib/server/realtime/jwt';

export const SECRET = 'test-jwt-secret-at-least-32-characters-long';
export const ANON_KEY = 'test-anon-key';

export interface TestServer {
	hub: Hub;
	url: string;
	wsUrl: string;
	port: number;
	allow(topic: string, userId: string): void;
	deny(topic: string, userId: string): void;
	authorizeCalls: Array<{ topic: string; userId: string }>;
	logs: Array<{ level: string; message: string; data?: Record<string, unknown> }>;
	close(): Promise<void>;
}

export async function startServer(overrides: Partial<HubOptions> = {}): Promise<TestServer> {
	const members = new Set<string>();
	const authorizeCalls: TestServer['authorizeCalls'] = [];
	const logs: TestServer['logs'] = [];
	const hub = createHub({
		jwtSecret: SECRET,
		anonKey: ANON_KEY,
		authorize: async (topic, userId) => {
			authorizeCalls.push({ topic, userId });
			return members.has(`${topic}|${userId}`);
		},
		log: (level, message, data) => logs.push({ level, message, data }),
		...overrides
	});
	const server = http.createServer((_req, res) => {
		res.statusCode = 404;
		res.end();
	});
	server.on('upgrade', (req, socket, head) => {
		// What server.js does with upgrades the hub leaves alone.
		if (!hub.handleUpgrade(req, socket, head)) {
			socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
		}
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		hub,
		port,
		url: `http://127.0.0.1:${port}`,
		wsUrl: `ws://127.0.0.1:${port}/realtime/v1/websocket`,
		allow: (topic, userId) => members.add(`${topic}|${userId}`),
		deny: (topic, userId) => members.delete(`${topic}|${userId}`),
		authorizeCalls,
		logs,
		close: async () => {
			await hub.close();
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		}
	};
}

export async function tokenFor(userId: string, ttlSeconds = 600): Promise<string> {
	return (await signRealtimeToken(userId, SECRET, { ttlSeconds })).token;
}

/** A token that outlives MAX_TOKEN_TTL_SECONDS or lacks claims: only via the test signer. */
export function customToken(claims: Record<string, unknown>, secret = SECRET): Promise<string> {
	return signClaimsForTest(claims, secret);
}

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

export const newUser = (): string => randomUUID();
export const newTopic = (kind: 'team' | 'event' = 'team'): string => `${kind}:${randomUUID()}`;

export async function waitFor<T>(
	probe: () => T | undefined | null | false,
	timeoutMs = 3_000,
	what = 'condition'
): Promise<T> {
	const started = Date.now();
	for (;;) {
		const value = probe();
		if (value !== undefined && value !== null && value !== false) return value;
		if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 10));
	}
}

/**
 * A removed member's channel closes within 2 s of `since` (when the change committed), told in
 * Supabase's words that it lost permission; the member who stays stays subscribed.
 */
export async function expectRemovedWithin2s(
	removed: { statuses: string[]; system: unknown[] },
	kept: { statuses: string[] },
	topic: string,
	since: number
): Promise<void> {
	await waitFor(() => removed.statuses.includes('CLOSED'), 2_000, 'removed member closed');
	expect(Date.now() - since).toBeLessThan(2_000);
	expect(removed.system[0]).toMatchObject({
		status: 'error',
		message: `You no longer have permission to read from this Channel topic: ${topic}`
	});
	expect(kept.statuses).toEqual(['SUBSCRIBED']);
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface RawFrame {
	binary: boolean;
	text: string;
	bytes: Buffer;
	json: unknown;
}

/** A bare `ws` client that records every server frame, for wire-level assertions. */
export class RawClient {
	readonly frames: RawFrame[] = [];
	closeCode: number | null = null;
	private constructor(readonly ws: WebSocket) {
		ws.on('message', (data, isBinary) => {
			const bytes = Buffer.isBuffer(data)
				? data
				: Array.isArray(data)
					? Buffer.concat(data)
					: Buffer.from(data);
			const text = isBinary ? '' : bytes.toString('utf8');
			this.frames.push({ binary: isBinary, text, bytes, json: isBinary ? null : JSON.parse(text) });
		});
		ws.on('close', (code) => {
			this.closeCode = code;
		});
	}

	static open(url: string, headers: Record<string, string> = {}): Promise<RawClient> {
		return new Promise((resolve, reject) => {
			const ws = new WebSocket(url, { headers });
			const client = new RawClient(ws);
			ws.once('open', () => resolve(client));
			ws.once('error', reject);
		});
	}

	send(frame: unknown): void {
		this.ws.send(
			typeof frame === 'string' || Buffer.isBuffer(frame) ? frame : JSON.stringify(frame)
		);
	}

	/** Removes and returns the first recorded frame matching `match`, waiting for it if needed. */
	async take(
		match: (f: RawFrame) => boolean,
		timeoutMs = 3_000,
		what = 'frame'
	): Promise<RawFrame> {
		const index = await waitFor(
			() => {
				const i = this.frames.findIndex(match);
				return i >= 0 ? i + 1 : undefined;
			},
			timeoutMs,
			what
		);
		return this.frames.splice(index - 1, 1)[0];
	}

	waitClosed(timeoutMs = 3_000): Promise<number> {
		return waitFor(() => this.closeCode ?? undefined, timeoutMs, 'socket close');
	}

	close(): void {
		this.ws.close();
	}
}

/** Status code of a refused upgrade, or 101 when the socket opened. */
export function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
	return new Promise((resolve, reject) => {
		const ws = new WebSocket(url, { headers });
		ws.once('unexpected-response', (_req, res) => {
			resolve(res.statusCode ?? 0);
			res.resume();
			ws.terminate();
		});
		ws.once('open', () => {
			resolve(101);
			ws.close();
		});
		ws.once('error', (err) => {
			// 'unexpected-response' already resolved for refusals; anything else is a real failure.
			if (!/Unexpected server response/.test(String(err))) reject(err);
		});
	});
}
