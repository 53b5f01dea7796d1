import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

/** Every page visited gets this: zero WCAG 2.2 AA violations. */
export async function expectAccessible(page: Page): Promise<void> {
	// From the top of the page: axe judges target sizes where the page is scrolled, and a
	// button a journey just pressed near the bottom of a phone's screen lies half under the
	// event's fixed tab bar there (as it would not once the person scrolls on).
	await page.evaluate(() => window.scrollTo(0, 0));
	const results = await new AxeBuilder({ page })
		.withTags(['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa'])
		.analyze();
	const summary = results.violations.map(
		(v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`
	);
	expect(summary, `axe on ${page.url()}`).toEqual([]);
}
