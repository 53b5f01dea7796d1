// People for journeys that do not test signing up: made through the test hook
// (POST /api/test/sign-up, TONGXING_TEST_HOOKS=1), which runs the sign-up form's own domain
// command and sets the session cookie on the page's browser context. Signing up through the
// form is proven by auth.spec.ts, teams.spec.ts, account-data.spec.ts and security-headers.
import { expect, test, type Page } from '@playwright/test';

export const PASSWORD = 'volunteer-day-2026';

const unique = () => Math.random().toString(36).slice(2, 10);

export interface SeededPerson {
	id: string;
	email: string;
}

/** Signs `page`'s context in as a new account named `name` (the page itself stays where it is). */
export async function signUpAs(
	page: Page,
	name: string,
	options: { email?: string; phone?: string; password?: string } = {}
): Promise<SeededPerson> {
	const email = options.email ?? `${unique()}@example.test`;
	const form: Record<string, string> = {
		email,
		displayName: name,
		password: options.password ?? PASSWORD
	};
	if (options.phone) form.phone = options.phone;
	// As the browser would post it: with its Origin (the app refuses cross-site form posts).
	const origin = new URL(test.info().project.use.baseURL ?? page.url()).origin;
	const res = await page.request.post('/api/test/sign-up', {
		form,
		headers: { origin },
		failOnStatusCode: false
	});
	expect(res.status(), `the sign-up test hook for ${name}: ${await res.text()}`).toBe(200);
	const { id } = (await res.json()) as { id: string };
	expect(id, `the id of ${name}`).toMatch(/^[0-9a-f-]{36}$/);
	return { id, email };
}
