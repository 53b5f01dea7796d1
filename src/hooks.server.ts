// The hooks, composed; each lives in src/lib/server/hooks/ (its README says why each is where it
// is in the order).
import type { Handle, ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { building } from '$app/environment';
import { startApp } from '$lib/server/app';
import { handleRequestId } from '$lib/server/hooks/request-id';
import { handleSecurityHeaders } from '$lib/server/hooks/security-headers';
import { handleRetryAfter } from '$lib/server/hooks/retry-after';
import { handleLocale } from '$lib/server/hooks/locale';
import { handleCsrf } from '$lib/server/hooks/csrf';
import { handleSession } from '$lib/server/hooks/session';

export { handleError } from '$lib/server/hooks/errors';

export const init: ServerInit = async () => {
	if (!building) await startApp();
};

export const handle: Handle = sequence(
	handleRequestId,
	handleSecurityHeaders,
	handleRetryAfter,
	handleLocale,
	handleCsrf,
	handleSession
);
