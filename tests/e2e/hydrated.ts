import { expect, type Page } from '@playwright/test';

/**
 * Waits until the page's scripts have run and the app is hydrated (the root layout marks
 * `body[data-hydrated]` on mount): what a test needs before typing into a form that hydration
 * would otherwise reset, without waiting for the network to idle.
 */
export async function hydrated(page: Page): Promise<void> {
	await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
}
