import { redirect, type RequestHandler } from '@sveltejs/kit';
import { cookieMaxAge, cookieName } from '$lib/paraglide/runtime';
import { isSupportedLocale, safeRedirectPath } from '$lib/i18n';

// The language switch: a form POST, so it works without JavaScript.
export const POST: RequestHandler = async ({ request, cookies }) => {
	const data = await request.formData().catch(() => new FormData());
	const locale = data.get('locale');
	if (isSupportedLocale(locale)) {
		cookies.set(cookieName, locale, {
			path: '/',
			maxAge: cookieMaxAge,
			sameSite: 'lax',
			httpOnly: false
		});
	}
	redirect(303, safeRedirectPath(data.get('redirectTo')));
};
