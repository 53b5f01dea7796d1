import { redirect } from '@sveltejs/kit';
import { safeRedirectPath } from '$lib/i18n';
import * as accounts from '$lib/server/accounts';
import { withRetryAfter } from '$lib/server/auth/rate-limit';
import { setDeviceCookie } from '$lib/server/auth/device';
import { startSession } from '$lib/server/auth/session';
import { action, formValues, readForm } from '$lib/server/forms';
import { completeIntent } from '$lib/server/intents';
import type { Actions, PageServerLoad } from './$types';

const AFTER_SIGN_UP = '/teams';

export const load: PageServerLoad = ({ locals, url }) => {
	const redirectTo = safeRedirectPath(url.searchParams.get('redirectTo'), AFTER_SIGN_UP);
	if (locals.user) redirect(303, redirectTo);
	return { redirectTo };
};

export const actions: Actions = {
	signUp: async (event) => {
		const data = await readForm(event);
		const values = formValues(data);
		const result = await action(values, () =>
			withRetryAfter(event, () =>
				accounts.signUp(
					{
						email: values.email,
						displayName: values.displayName,
						phone: values.phone,
						password: data.get('password')
					},
					{ ip: event.getClientAddress() }
				)
			)
		);
		if (!('id' in result)) return result;
		await startSession(event, result.id);
		// This browser now holds its own way past the sign-in throttle (auth/device.ts).
		await setDeviceCookie(event, result.id);
		// Coming from a link that changes something (an invite): this POST completes it.
		redirect(
			303,
			await completeIntent(result.id, safeRedirectPath(values.redirectTo, AFTER_SIGN_UP))
		);
	}
};
