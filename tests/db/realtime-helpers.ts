// The app's realtime wiring on a node:http server, as server.js serves it: upgrades to the hub,
// POST /realtime/v1/api/broadcast to the real route handler. Clients are the real supabase-js.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient, type RealtimeChannel, type SupabaseClient } from '@supabase/supabase-js';
import { WebSocket } from 'ws';
import type { RealtimeServer } from '../../src/lib/server/realtime';
import { POST as broadcastRoute } from '../../src/routes/realtime/v1/api/broadcast/+server';
import { waitFor } from '../realtime/helpers';

/** The route reads only `request` and `url`; SvelteKit's full event is not needed. */
type RouteEvent = Parameters<typeof broadcastRoute>[0];

export interface AppServer {
	url: string;
	close(): Promise<void>;
}

async function toRequest(req: http.IncomingMessage, origin: string): Promise<Request> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	const headers = new Headers();
	for (const [name, value] of Object.entries(req.headers)) {
		if (typeof value === 'string') headers.set(name, value);
	}
	return new Request(new URL(req.url ?? '/', origin), {
		method: req.method,
		headers,
		body: req.method === 'GET' || req.method === 'HEAD' ? undefined : Buffer.concat(chunks)
	});
}

export async function serve(realtime: RealtimeServer): Promise<AppServer> {
	let origin = '';
	const server = http.createServer((req, res) => {
		void (async () => {
			const request = await toRequest(req, origin);
			const url = new URL(request.url);
			const response =
				req.method === 'POST' && url.pathname === '/realtime/v1/api/broadcast'
					? await broadcastRoute({ request, url } as unknown as RouteEvent)
					: new Response('not found', { status: 404 });
			res.writeHead(response.status, Object.fromEntries(response.headers));
			res.end(Buffer.from(await response.arrayBuffer()));
		})().catch((err: unknown) => {
			res.writeHead(500);
			res.end(String(err));
		});
	});
	server.on('upgrade', (req, socket, head) => {
		if (!realtime.handleUpgrade(req, socket, head)) {
			socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
		}
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	return {
		url: origin,
		close: async () => {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		}
	};
}

type Status = 'SUBSCRIBED' | 'TIMED_OUT' | 'CLOSED' | 'CHANNEL_ERROR';

export interface Watched {
	channel: RealtimeChannel;
	statuses: Status[];
	errors: Error[];
	broadcasts: Array<{ event: string; payload: unknown }>;
	system: Array<Record<string, unknown>>;
}

const clients: SupabaseClient[] = [];

type RealtimeTransport = NonNullable<
	NonNullable<Parameters<typeof createClient>[2]>['realtime']
>['transport'];

/** A supabase-js client; `accessToken` null means none (the anon key goes as the token). */
export function client(url: string, key: string, accessToken: string | null): SupabaseClient {
	const c = createClient(url, key, {
		...(accessToken ? { accessToken: async () => accessToken } : {}),
		auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
		// ws's WebSocket is what realtime-js wants in Node; its typings differ from the DOM's.
		realtime: { transport: WebSocket as unknown as RealtimeTransport, timeout: 3_000 }
	});
	clients.push(c);
	return c;
}

export async function disconnectAll(): Promise<void> {
	for (const c of clients.splice(0)) {
		await c.removeAllChannels();
		await c.realtime.disconnect();
	}
}

export async function join(c: SupabaseClient, topic: string): Promise<Watched> {
	// Without this the first join can go out before the token is known (ARCHITECTURE.md).
	await c.realtime.setAuth();
	const channel = c.channel(topic, { config: { private: true } });
	const w: Watched = { channel, statuses: [], errors: [], broadcasts: [], system: [] };
	channel.on('broadcast', { event: '*' }, (msg) => {
		w.broadcasts.push({ event: String(msg.event), payload: msg.payload });
	});
	channel.on('system', {}, (payload: Record<string, unknown>) => w.system.push(payload));
	channel.subscribe((status, err) => {
		w.statuses.push(status as Status);
		if (err) w.errors.push(err);
	});
	await waitFor(() => w.statuses.length > 0, 5_000, `join of ${topic}`);
	return w;
}

export function postBroadcast(
	url: string,
	body: unknown,
	headers: Record<string, string> = {}
): Promise<Response> {
	return fetch(`${url}/realtime/v1/api/broadcast`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...headers },
		body: typeof body === 'string' ? body : JSON.stringify(body)
	});
}
