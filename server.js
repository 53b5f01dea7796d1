// Production entry: serves the SvelteKit build with node:http and hands WebSocket upgrades
// to the realtime hub, which the app registers on a globalThis symbol when it starts.
import http from 'node:http';
import { fileURLToPath } from 'node:url';

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '0.0.0.0';
// adapter-node assumes https when ORIGIN is unset and would then refuse every form POST
// over plain http as cross-site.
process.env.ORIGIN ??= `http://localhost:${port}`;
// The migrated cluster `npm run build` made: a first start on an empty DATA_DIR copies it
// instead of running PGlite's initdb (src/lib/server/db/snapshot.ts).
process.env.TONGXING_PGDATA_SNAPSHOT ??= fileURLToPath(
	new URL('./build/pgdata-snapshot', import.meta.url)
);

// Embedded mode's PGlite runs in a worker thread; the build carries its script here.
process.env.TONGXING_PGLITE_WORKER ??= fileURLToPath(
	new URL('./build/pglite-worker.js', import.meta.url)
);

// Embedded mode: a restart opens the data folder in PGlite's worker, on the other core, while
// the bundle loads on this one; the bundle takes the worker and the folder's lock over.
if (!process.env.DATABASE_URL?.trim()) {
	try {
		const { openEarly } = await import('./build/db/early-open.js');
		openEarly({
			dataDir: process.env.DATA_DIR,
			workerFile: process.env.TONGXING_PGLITE_WORKER
		});
	} catch (err) {
		// No build yet: importing the handler below says so.
		if (!(err && typeof err === 'object' && 'code' in err && err.code === 'ERR_MODULE_NOT_FOUND')) {
			throw err;
		}
	}
}

let handler;
try {
	({ handler } = await import('./build/handler.js'));
} catch (err) {
	if (err && typeof err === 'object' && 'code' in err && err.code === 'ERR_MODULE_NOT_FOUND') {
		console.error('No build found: run `npm run build` first (or `npm start`, which builds).');
	} else {
		console.error(err instanceof Error ? err.message : err);
	}
	process.exit(1);
}

const REALTIME = Symbol.for('tongxing.realtime');
const DB = Symbol.for('tongxing.db');

const server = http.createServer(handler);

server.on('upgrade', (req, socket, head) => {
	const hub = globalThis[REALTIME];
	if (hub && typeof hub.handleUpgrade === 'function' && hub.handleUpgrade(req, socket, head)) {
		return;
	}
	// Any other path (or REALTIME=supabase, where no hub runs) has no WebSocket here. Without an
	// error listener a reset from the peer would crash the process.
	socket.on('error', () => socket.destroy());
	socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n', () =>
		socket.destroy()
	);
});

server.listen(port, host, () => {
	const mode = process.env.DATABASE_URL ? 'postgres' : 'embedded';
	console.log(`Tongxing listening on ${process.env.ORIGIN} (${mode} mode)`);
});

let stopping = false;
async function shutdown(signal) {
	if (stopping) return;
	stopping = true;
	console.log(`${signal}: shutting down`);
	const timer = setTimeout(() => process.exit(1), 10_000);
	timer.unref();
	server.closeIdleConnections?.();
	// No new connections; the realtime hub then ends its sockets (which server.close would wait
	// for, up to the 10 s above) and tells the other instances this one's people have left.
	const closed = new Promise((resolve) => server.close(resolve));
	try {
		await globalThis[REALTIME]?.close?.();
		await closed;
		await globalThis[DB]?.handle?.close?.();
	} catch (err) {
		console.error(err);
		process.exitCode = 1;
	}
	process.exit();
}

process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
