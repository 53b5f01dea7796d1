// A short-lived realtime token for the signed-in user; supabase-js fetches it through its
// `accessToken` option and refreshes it before it expires.
import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import * as m from '$lib/paraglide/messages';
import { consume } from '$lib/server/auth/rate-limit';
import { jsonError } from '$lib/server/forms';
import { mintRealtimeToken } from '$lib/server/realtime';

// A token is a credential: no shared cache or browser cache may keep it.
const NO_STORE = { 'cache-control': 'no-store' };

export const GET: RequestHandler = async ({ locals }) => {
	const { user, session } = locals;
	if (!user || !session) {
		return json(
			{ error: 'unauthorized', message: m.auth_required({}, { locale: locals.locale }) },
			{ status: 401, headers: NO_STORE }
		);
	}
	try {
		await consume('tokenEndpoint', session.id);
	} catch (err) {
		const response = jsonError(err);
		response.headers.set('cache-control', 'no-store');
		return response;
	}
	const { token, expiresAt } = await mintRealtimeToken(user.id);
	return json({ token, expiresAt }, { headers: NO_STORE });
};
