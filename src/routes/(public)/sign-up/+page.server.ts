import * as accounts from '$lib/server/accounts';
import { entryAction, entryLoad } from '$lib/server/auth/entry';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = entryLoad;

export const actions: Actions = {
	signUp: (event) =>
		entryAction(event, (data, values) =>
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
};
