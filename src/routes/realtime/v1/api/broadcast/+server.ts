// Supabase Realtime's REST broadcast for server-side senders holding the service-role key.
// No session: the CSRF handle exempts /realtime/v1/, and the Origin rule is checked inside.
import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import * as m from '$lib/paraglide/messages';
import { getRealtime } from '$lib/server/realtime';

export const POST: RequestHandler = async ({ request, url, locals }) => {
	const realtime = getRealtime();
	if (!realtime) {
		// REALTIME=supabase: server-side senders talk to Supabase Realtime itself.
		return json(
			{ error: 'not_found', message: 'This app runs no realtime endpoint (REALTIME=supabase)' },
			{ status: 404 }
		);
	}
	const outcome = await realtime.acceptBroadcast({
		headers: request.headers,
		origin: url.origin,
		body: await request.text()
	});
	if (outcome.ok) return new Response(null, { status: 202 });
	const headers: Record<string, string> = {};
	let message = outcome.message;
	if (outcome.retryAfterSeconds) {
		headers['retry-after'] = String(outcome.retryAfterSeconds);
		message = m.error_rate_limited(
			{ seconds: outcome.retryAfterSeconds },
			{ locale: locals.locale }
		);
	}
	return json({ error: outcome.error, message }, { status: outcome.status, headers });
};
