// A protocol-level Realtime client for the bulk of the fan-out clients: Phoenix channels, vsn
// 2.0.0 text frames `[join_ref, ref, topic, event, payload]`, as supabase-js speaks them
// (see /work/shared/reference/realtime-wire.log), without supabase-js's per-client cost.
// It joins one private channel with an access token and heartbeats every 25 s.
import { WebSocket, type RawData } from 'ws';

export type HintHandler = (hint: Record<string, unknown>, receivedAt: number) => void;

const HEARTBEAT_MS = 25_000;

export interface PhoenixOptions {
	/** ws://host:port (the app's origin with ws:). */
	wsOrigin: string;
	apikey: string;
	timeoutMs?: number;
}

function text(data: RawData): string {
	if (Buffer.isBuffer(data)) return data.toString('utf8');
	if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
	return Buffer.from(data).toString('utf8');
}

/** The join payload of a hint reader: a private channel, no presence, no self-broadcast. */
export const readerJoin = (accessToken: string) => ({
	config: {
		broadcast: { ack: false, self: false },
		presence: { key: '', enabled: false },
		postgres_changes: [],
		private: true
	},
	access_token: accessToken
});

export class PhoenixClient {
	/** Hints (broadcast event `hint`) received, whatever a handler does with them. */
	hints = 0;
	onHint: HintHandler | null = null;
	closed = false;
	readonly #ws: WebSocket;
	readonly #replies = new Map<string, (payload: Record<string, unknown>) => void>();
	#ref = 0;
	#heartbeat: NodeJS.Timeout | null = null;

	private constructor(ws: WebSocket) {
		this.#ws = ws;
		ws.on('message', (data, isBinary) => {
			// The receipt time is taken before any parsing, as a browser's would be on arrival.
			const receivedAt = performance.now();
			if (isBinary) return;
			const [, ref, , event, payload] = JSON.parse(text(data)) as [
				string | null,
				string | null,
				string,
				string,
				Record<string, unknown>
			];
			if (event === 'broadcast') {
				if (payload.event !== 'hint') return;
				this.hints += 1;
				this.onHint?.(payload.payload as Record<string, unknown>, receivedAt);
			} else if (event === 'phx_reply' && ref !== null) {
				this.#replies.get(ref)?.(payload);
				this.#replies.delete(ref);
			}
		});
		ws.on('close', () => {
			this.closed = true;
			if (this.#heartbeat) clearInterval(this.#heartbeat);
		});
		ws.on('error', () => {});
	}

	static connect(options: PhoenixOptions): Promise<PhoenixClient> {
		const url = `${options.wsOrigin}/realtime/v1/websocket?apikey=${encodeURIComponent(options.apikey)}&vsn=2.0.0`;
		return new Promise((resolve, reject) => {
			const ws = new WebSocket(url, { perMessageDeflate: false });
			const client = new PhoenixClient(ws);
			const timer = setTimeout(() => {
				ws.terminate();
				reject(new Error('realtime connect timed out'));
			}, options.timeoutMs ?? 15_000);
			ws.once('open', () => {
				clearTimeout(timer);
				client.#heartbeat = setInterval(
					() => client.#send(null, 'phoenix', 'heartbeat', {}),
					HEARTBEAT_MS
				);
				resolve(client);
			});
			ws.once('unexpected-response', (_req, res) => {
				clearTimeout(timer);
				reject(new Error(`realtime upgrade refused: ${res.statusCode}`));
			});
			ws.once('error', (err) => {
				clearTimeout(timer);
				reject(err);
			});
		});
	}

	#send(joinRef: string | null, topic: string, event: string, payload: unknown): string {
		this.#ref += 1;
		const ref = String(this.#ref);
		if (this.#ws.readyState === WebSocket.OPEN) {
			this.#ws.send(JSON.stringify([joinRef, ref, topic, event, payload]));
		}
		return ref;
	}

	/** Joins `realtime:<subTopic>` as a private channel without presence, as a hint reader. */
	join(subTopic: string, accessToken: string, timeoutMs = 15_000): Promise<void> {
		const joinRef = String(this.#ref + 1);
		const ref = this.#send(joinRef, `realtime:${subTopic}`, 'phx_join', readerJoin(accessToken));
		return new Promise((resolve, reject) => {
			const timer = setTimeout(() => {
				this.#replies.delete(ref);
				reject(new Error(`join of ${subTopic} timed out`));
			}, timeoutMs);
			this.#replies.set(ref, (payload) => {
				clearTimeout(timer);
				if (payload.status === 'ok') resolve();
				else reject(new Error(`join refused: ${JSON.stringify(payload.response)}`));
			});
		});
	}

	close(): Promise<void> {
		if (this.#heartbeat) clearInterval(this.#heartbeat);
		if (this.closed || this.#ws.readyState === WebSocket.CLOSED) return Promise.resolve();
		return new Promise((resolve) => {
			const timer = setTimeout(() => {
				this.#ws.terminate();
				resolve();
			}, 2_000);
			this.#ws.once('close', () => {
				clearTimeout(timer);
				resolve();
			});
			this.#ws.close(1000);
		});
	}
}
