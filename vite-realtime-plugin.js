// Development: Vite's own http server takes the realtime WebSocket and hands it to the same
// hub the SSR module graph started (a globalThis symbol, as server.js reads it in production),
// so `npm run dev` serves /realtime/v1/websocket too. Every other upgrade, Vite's HMR socket
// included, is left to Vite. Plain JS (checked through JSDoc) so that Vite's config loader
// imports it with its extension.

/** @typedef {import('node:http').IncomingMessage} IncomingMessage */
/** @typedef {import('node:stream').Duplex} Duplex */
/** @typedef {{ handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean }} UpgradeTarget */

const REALTIME = Symbol.for('tongxing.realtime');
const REALTIME_PREFIX = '/realtime/v1/';

/** @returns {UpgradeTarget | undefined} */
function runningHub() {
	const target = /** @type {Partial<UpgradeTarget> | undefined} */ (
		/** @type {Record<symbol, unknown>} */ (globalThis)[REALTIME]
	);
	return typeof target?.handleUpgrade === 'function'
		? /** @type {UpgradeTarget} */ (target)
		: undefined;
}

/**
 * SvelteKit starts the app on its first request, but a socket may come first (a tab left open
 * across a dev-server restart). startApp is idempotent, so loading it here is safe either way.
 * @param {import('vite').ViteDevServer} server
 * @returns {Promise<UpgradeTarget | undefined>}
 */
async function ensureHub(server) {
	const running = runningHub();
	if (running) return running;
	const app = /** @type {{ startApp(): Promise<unknown> }} */ (
		await server.ssrLoadModule('/src/lib/server/app.ts')
	);
	await app.startApp();
	return runningHub();
}

/**
 * @param {Duplex} socket
 * @param {string} status
 */
function refuse(socket, status) {
	socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`, () =>
		socket.destroy()
	);
}

/** @returns {import('vite').Plugin} */
export function realtimeDevServer() {
	return {
		name: 'tongxing-realtime',
		apply: 'serve',
		configureServer(server) {
			server.httpServer?.on('upgrade', (req, socket, head) => {
				const path = new URL(req.url ?? '/', 'http://localhost').pathname;
				if (!path.startsWith(REALTIME_PREFIX)) return;
				// The socket waits for the app to start; a reset meanwhile must not crash Vite.
				socket.on('error', () => socket.destroy());
				ensureHub(server).then(
					(hub) => {
						if (!hub?.handleUpgrade(req, socket, head)) refuse(socket, '404 Not Found');
					},
					(err) => {
						server.config.logger.error(`[realtime] could not start the app: ${String(err)}`);
						refuse(socket, '503 Service Unavailable');
					}
				);
			});
		}
	};
}
