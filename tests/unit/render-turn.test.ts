import { createServer, connect, type AddressInfo, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { renderTurn } from '../../src/lib/server/render-turn';

function busy(ms: number) {
	const end = performance.now() + ms;
	while (performance.now() < end) {
		// a render's synchronous work
	}
}

/** A connected pair of localhost sockets: what one writes, the other's 'data' event reads. */
async function socketPair(): Promise<{ writer: Socket; reader: Socket; close: () => void }> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const accepted = new Promise<Socket>((resolve) => server.once('connection', resolve));
	const writer = connect((server.address() as AddressInfo).port, '127.0.0.1');
	await new Promise<void>((resolve) => writer.once('connect', resolve));
	const reader = await accepted;
	return {
		writer,
		reader,
		close: () => {
			writer.destroy();
			reader.destroy();
			server.close();
		}
	};
}

describe('renderTurn', () => {
	it('lets waiting loads go on one per turn of the event loop, in arrival order', async () => {
		const order: string[] = [];
		await Promise.all(
			[0, 1, 2].map((i) =>
				renderTurn().then(() => {
					order.push(`render ${i}`);
				})
			)
		);
		expect(order).toEqual(['render 0', 'render 1', 'render 2']);
	});

	it('reads a socket between two renders, where renders back to back would hold it back', async () => {
		const { writer, reader, close } = await socketPair();
		try {
			const order: string[] = [];
			const heard = new Promise<void>((resolve) =>
				reader.once('data', () => {
					order.push('hint');
					resolve();
				})
			);
			const renders = [0, 1, 2].map((i) =>
				renderTurn().then(() => {
					order.push(`render ${i}`);
					// The hint arrives while the first render runs.
					if (i === 0) writer.write('hint');
					busy(30);
				})
			);
			await Promise.all([...renders, heard]);
			expect(order.indexOf('hint')).toBeLessThan(order.indexOf('render 2'));
			expect(order[0]).toBe('render 0');
		} finally {
			close();
		}
	});
});
