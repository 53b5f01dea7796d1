import type { LayoutServerLoad } from './$types';

// Only what the header needs: the page data of every route reaches the browser.
export const load: LayoutServerLoad = ({ locals }) => ({
	locale: locals.locale,
	user: locals.user && { displayName: locals.user.displayName }
});
