import { fail, redirect } from '@sveltejs/kit';
import * as accounts from '$lib/server/accounts';
import { requireSession, requireUser } from '$lib/server/auth/guards';
import { deleteSessionCookie } from '$lib/server/auth/session';
import { withRetryAfter } from '$lib/server/auth/rate-limit';
import { action, formValues, readForm } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const profile = requireUser(event);
	// Teams this person alone captains: deleting the account waits until they hand over.
	return { profile, handover: await accounts.teamsNeedingHandover({ userId: profile.id }) };
};

// The page has two forms sharing `form`: a failure names its form in `action`.
export const actions: Actions = {
	updateProfile: async (event) => {
		const user = requireUser(event);
		const values = formValues(await readForm(event));
		const result = await action(values, async () => {
			await accounts.updateProfile(
				{ userId: user.id },
				{ displayName: values.displayName, phone: values.phone }
			);
			return { saved: 'profile' as const };
		});
		if ('saved' in result) return result;
		return fail(result.status, { ...result.data, action: 'profile' as const });
	},
	changePassword: async (event) => {
		const { user, session } = requireSession(event);
		const data = await readForm(event);
		const result = await action({}, () =>
			withRetryAfter(event, async () => {
				await accounts.changePassword(
					{ userId: user.id },
					{ currentPassword: data.get('currentPassword'), newPassword: data.get('newPassword') },
					session.id
				);
				return { saved: 'password' as const };
			})
		);
		if ('saved' in result) return result;
		return fail(result.status, { ...result.data, action: 'password' as const });
	},
	deleteAccount: async (event) => {
		const user = requireUser(event);
		const data = await readForm(event);
		const result = await action({}, () =>
			withRetryAfter(event, () =>
				accounts.deleteAccount({ userId: user.id }, { password: data.get('password') })
			)
		);
		if (result) return fail(result.status, { ...result.data, action: 'delete' as const });
		deleteSessionCookie(event);
		redirect(303, '/');
	}
};
