// The app's navigation as a person uses it (issue 21): the header keeps the account and the
// language in a menu; an event's pages are in its navigation (on phones a tab bar whose "more"
// opens the rest).
import type { Locator, Page } from '@playwright/test';

/** The header's menu, opened (a `<details>`: this works without JavaScript too). */
export async function headerMenu(page: Page): Promise<Locator> {
	const menu = page.locator('header.top details');
	if (!(await menu.evaluate((d) => (d as HTMLDetailsElement).open))) {
		await menu.locator('summary').click();
	}
	return menu;
}

/** Signs out through the header's menu. */
export async function signOut(page: Page, name = '退出登录'): Promise<void> {
	await (await headerMenu(page)).getByRole('button', { name }).click();
}

/** The event's navigation that is shown (the tab bar on phones, the side list on wide screens). */
export const eventNav = (page: Page, name = '活动页面') => page.getByRole('navigation', { name });

/** Follows the event navigation's link `name`, opening "more" when it is in there. */
export async function goToEventPage(
	page: Page,
	name: string,
	options: { exact?: boolean; navName?: string } = {}
): Promise<void> {
	const nav = eventNav(page, options.navName);
	const link = nav.getByRole('link', { name, exact: options.exact });
	if (!(await link.isVisible())) await nav.locator('details > summary').click();
	await link.click();
}
