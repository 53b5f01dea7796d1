import type { ClientInit } from '@sveltejs/kit';
import { withOfflineAnswer } from '$lib/pwa/offline-answer';

// `use:enhance` and the outbox post forms with the page's `fetch`: a form post that finds no
// network is answered as the service worker answers it, even before the worker runs.
export const init: ClientInit = () => {
	window.fetch = withOfflineAnswer(window.fetch.bind(window));
};
