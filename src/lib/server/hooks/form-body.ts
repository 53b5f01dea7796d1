import { error, type Handle } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import { isRealtimePath, UNSAFE_METHODS } from './paths';

const FORM_TYPES = new Set([
	'application/x-www-form-urlencoded',
	'multipart/form-data',
	'text/plain'
]);

/**
 * Browsers may post a form as text/plain, and any client may send a broken multipart body:
 * SvelteKit lets both through to form actions, whose `request.formData()` then throws (a 500).
 * A form body the server cannot read is refused here with a 400 instead. (Endpoints under
 * /realtime/v1/ read their own bodies.)
 */
export const handleFormBody: Handle = async ({ event, resolve }) => {
	const { request, url } = event;
	const type = (request.headers.get('content-type') ?? '').split(';', 1)[0].trim().toLowerCase();
	if (UNSAFE_METHODS.has(request.method) && FORM_TYPES.has(type) && !isRealtimePath(url.pathname)) {
		const isReadable = await request
			.clone()
			.formData()
			.then(
				() => true,
				() => false
			);
		if (!isReadable) error(400, m.security_form_unreadable({}, { locale: event.locals.locale }));
	}
	return resolve(event);
};
