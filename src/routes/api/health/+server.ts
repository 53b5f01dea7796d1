import { json, type RequestHandler } from '@sveltejs/kit';
import { sql } from 'drizzle-orm';
import { getHandle } from '$lib/server/db';

export const GET: RequestHandler = async () => {
	let mode: 'embedded' | 'postgres' | undefined;
	try {
		const handle = getHandle();
		mode = handle.mode;
		await handle.db.execute(sql`select 1`);
		return json({ status: 'ok', mode, db: 'ok' }, { headers: { 'cache-control': 'no-store' } });
	} catch (err) {
		console.error('[health] database unreachable', err);
		return json(
			{ status: 'error', mode, db: 'unreachable', reason: 'database unreachable' },
			{ status: 503, headers: { 'cache-control': 'no-store' } }
		);
	}
};
