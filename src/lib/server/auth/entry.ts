// What the sign-in and sign-up pages share: a visitor already signed in goes straight on, and a
// form that proves who someone is starts their session and takes them where they were headed.
import { redirect, type RequestEvent } from '@sveltejs/kit';
import { safeRedirectPath } from '$lib/i18n';
import { action, formValues, readForm } from '../forms';
import { completeIntent } from '../intents';
import { setDeviceCookie } from './device';
import { withRetryAfter } from './rate-limit';
import { startSession } from './session';

const AFTER_ENTRY = '/teams';

export function entryLoad({ locals, url }: Pick<RequestEvent, 'locals' | 'url'>) {
	const redirectTo = safeRedirectPath(url.searchParams.get('redirectTo'), AFTER_ENTRY);
	if (locals.user) redirect(303, redirectTo);
	return { redirectTo };
}

/** `prove` gets the form (the password only from `data`: `values` leaves it out). */
export async function entryAction(
	event: RequestEvent,
	prove: (data: FormData, values: Record<string, string>) => Promise<{ id: string }>
) {
	const data = await readForm(event);
	const values = formValues(data);
	const result = await action(values, () => withRetryAfter(event, () => prove(data, values)));
	if (!('id' in result)) return result;
	await startSession(event, result.id);
	// This browser now holds its own way past the sign-in throttle (auth/device.ts).
	await setDeviceCookie(event, result.id);
	// Coming from a link that changes something (an invite): this POST completes it.
	redirect(303, await completeIntent(result.id, safeRedirectPath(values.redirectTo, AFTER_ENTRY)));
}
