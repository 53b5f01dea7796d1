import * as accounts from '$lib/server/accounts';
import { readDeviceCookie } from '$lib/server/auth/device';
import { entryAction, entryLoad } from '$lib/server/auth/entry';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = entryLoad;

export const actions: Actions = {
	signIn: (event) =>
		entryAction(event, (data, values) =>
			accounts.signIn({
				email: values.email,
				password: data.get('password'),
				ip: event.getClientAddress(),
				device: readDeviceCookie(event)
			})
		)
};
