import type { Handle } from '@sveltejs/kit';

/**
 * A rate-limited form action answers `fail(429)` with `Retry-After`, but SvelteKit sends an
 * enhanced action's failure as a 200 JSON body, and the contact page shows its "wait" notice
 * as a normal page. Whatever carries `Retry-After` (set only when the limiter refused) goes
 * out as 429; use:enhance reads the failure from the body either way.
 */
export const handleRetryAfter: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	if (response.status !== 200 || !response.headers.has('retry-after')) return response;
	return new Response(response.body, { status: 429, headers: response.headers });
};
