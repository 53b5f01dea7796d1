// Tells the service worker what it cannot see: the page's language (for its offline page) and
// who is signed in (a new person empties the kept pages). Quiet where there is no worker.
export function tellWorker(
	message: { type: 'locale'; locale: string } | { type: 'user'; userId: string }
) {
	if (!('serviceWorker' in navigator)) return;
	navigator.serviceWorker.ready
		.then((registration) => registration.active?.postMessage(message))
		.catch((err: unknown) => console.debug('service worker not ready', err));
}
