// The fan-out floor, run in its own process: a plain `ws` server that answers joins and
// heartbeats as the realtime endpoint does and, on `POST /send`, answers the request and then
// sends the given hint to every joined socket of the topic, one frame encoded once, with no
// database, no authorization, no merging. `tsx bench/fanout/floor-server.ts <port>`; prints
// `listening <port>` when ready.
import http from 'node:http';
import { WebSocketServer, WebSocket } from 'ws';

type Frame = [string | null, string | null, string, string, Record<string, unknown>];

const port = Number(process.argv[2] ?? 0);
const topics = new Map<string, Set<WebSocket>>();

function reply(ws: WebSocket, frame: Frame, response: Record<string, unknown>): void {
	ws.send(JSON.stringify([frame[0], frame[1], frame[2], 'phx_reply', { status: 'ok', response }]));
}

const wss = new WebSocketServer({
	noServer: true,
	clientTracking: false,
	perMessageDeflate: false
});
wss.on('connection', (ws) => {
	const joined = new Set<string>();
	ws.on('message', (data, isBinary) => {
		if (isBinary) return;
		const frame = JSON.parse(String(data)) as Frame;
		const [joinRef, , topic, event, payload] = frame;
		if (event === 'heartbeat') return reply(ws, frame, {});
		if (event === 'phx_join') {
			let set = topics.get(topic);
			if (!set) topics.set(topic, (set = new Set()));
			set.add(ws);
			joined.add(topic);
			reply(ws, frame, { postgres_changes: [] });
			const presence = (payload.config as { presence?: { enabled?: boolean } } | undefined)
				?.presence;
			if (presence?.enabled) {
				ws.send(JSON.stringify([joinRef, null, topic, 'presence_state', {}]));
			}
			return;
		}
		if (event === 'presence') return reply(ws, frame, {});
	});
	ws.on('close', () => {
		for (const topic of joined) topics.get(topic)?.delete(ws);
	});
	ws.on('error', () => {});
});

const server = http.createServer((req, res) => {
	if (req.method !== 'POST' || req.url !== '/send') {
		res.statusCode = 404;
		res.end();
		return;
	}
	const chunks: Buffer[] = [];
	req.on('data', (chunk: Buffer) => chunks.push(chunk));
	req.on('end', () => {
		const { topic, payload } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
			topic: string;
			payload: Record<string, unknown>;
		};
		// The app's claim answers after its commit while the hub sends: answer, then send.
		res.statusCode = 204;
		res.end();
		const full = `realtime:${topic}`;
		const frame = JSON.stringify([
			null,
			null,
			full,
			'broadcast',
			{ type: 'broadcast', event: 'hint', payload }
		]);
		for (const ws of topics.get(full) ?? []) {
			if (ws.readyState === WebSocket.OPEN) ws.send(frame);
		}
	});
});
server.keepAliveTimeout = 60_000;
server.on('upgrade', (req, socket, head) => {
	socket.on('error', () => socket.destroy());
	wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
});
server.listen(port, '127.0.0.1', () => {
	const address = server.address();
	console.log(`listening ${typeof address === 'object' && address ? address.port : port}`);
});
process.on('SIGTERM', () => {
	server.closeAllConnections();
	process.exit(0);
});
