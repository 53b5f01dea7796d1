import { redirect, type RequestHandler } from '@sveltejs/kit';
import { endSession } from '$lib/server/auth/session';

// A POST only: a link or a prefetch must not sign anyone out.
export const POST: RequestHandler = async (event) => {
	await endSession(event);
	redirect(303, '/');
};
