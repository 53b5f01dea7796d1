// The scanner itself (tests/e2e/axe.ts): on a page made of known faults it reports each of them,
// exactly as axe-core's full run does, so that trimming the passing results proves no less.
import { expect, test } from '@playwright/test';
import { axeViolations, AXE_OPTIONS } from './axe';

const FAULTY = `<!doctype html><html><head><title>faults</title></head><body><main>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<p style="color:#aaa;background:#fff">low contrast</p><p style="color:#bbb">lower</p>
<button style="width:10px;height:10px;padding:0"></button><a href="#">ok</a><a href="#"></a>
<input type="text"><ul><div>not a list item</div></ul><span style="color:#ccc">pale</span>
${'<p>fine text</p>'.repeat(50)}</main></body></html>`;

const byRule = (violations: { id: string; nodes: { target: unknown; html: string }[] }[]) =>
	violations
		.map((v) => ({ id: v.id, nodes: v.nodes.map((n) => [n.target, n.html]) }))
		.sort((a, b) => a.id.localeCompare(b.id));

test('the axe scan reports every fault of a faulty page, as the full run does', async ({
	page
}) => {
	await page.setContent(FAULTY);
	const trimmed = await axeViolations(page);
	expect(trimmed.map((v) => v.id).sort()).toEqual([
		'button-name',
		'color-contrast',
		'html-has-lang',
		'image-alt',
		'label',
		'link-name',
		'list',
		'target-size'
	]);
	expect(trimmed.find((v) => v.id === 'color-contrast')?.nodes).toHaveLength(3);
	const full = await axeViolations(page, { ...AXE_OPTIONS, resultTypes: undefined });
	expect(byRule(trimmed)).toEqual(byRule(full));
});
