import { redirect } from '@sveltejs/kit';
import * as teams from '$lib/server/teams';
import { requireUser } from '$lib/server/auth/guards';
import { action, formValues, readForm } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	return { teams: await teams.listMyTeams({ userId: user.id }) };
};

export const actions: Actions = {
	create: async (event) => {
		const user = requireUser(event);
		const data = await readForm(event);
		const values = formValues(data);
		const result = await action(values, () =>
			teams.createTeam(
				{ userId: user.id },
				{ name: values.name ?? '', description: values.description }
			)
		);
		if ('id' in result) redirect(303, `/teams/${result.id}`);
		return result;
	}
};
