// Before the service worker controls the page (the first visit, a worker still installing, a
// browser without one), nothing stands between a form post and a dead network: `use:enhance`
// then shows the error page and what was typed is gone. The page answers such a post itself,
// exactly as the worker would (`OFFLINE_ANSWER`): forms keep what was typed and say so, and the
// outbox's forms queue. Only form actions are answered; every other request fails as it did.
import { OFFLINE_ANSWER } from './offline-rules';

type Fetch = typeof fetch;

function isFormAction(input: RequestInfo | URL, init: RequestInit | undefined): boolean {
	const request = input instanceof Request ? input : null;
	const method = init?.method ?? request?.method ?? 'GET';
	const headers = new Headers(init?.headers ?? request?.headers);
	return method.toUpperCase() === 'POST' && headers.get('x-sveltekit-action') === 'true';
}

/** `fetch`, with a form action that finds no network answered as the service worker does. */
export function withOfflineAnswer(inner: Fetch): Fetch {
	return async (input, init) => {
		try {
			return await inner(input, init);
		} catch (err) {
			// A cancelled request (a second submit) is not a lost network.
			if (err instanceof DOMException && err.name === 'AbortError') throw err;
			if (!isFormAction(input, init)) throw err;
			return new Response(OFFLINE_ANSWER, {
				status: 200,
				headers: { 'content-type': 'application/json' }
			});
		}
	};
}
