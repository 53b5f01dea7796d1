// Draws the app's PNG icons (static/icons/) from the same mark as favicon.svg, with Chromium:
// a web app manifest needs PNGs of 192 and 512 px to be installable, and a maskable one whose
// mark keeps to the middle 80 % (the safe zone launchers crop to). Run once after a change:
// `node --import tsx scripts/make-icons.ts`; the PNGs are committed.
import { chromium } from '@playwright/test';
import { existsSync, mkdirSync } from 'node:fs';

const executablePath = existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined;

function mark(size: number, maskable: boolean): string {
	const radius = maskable ? 0 : size * 0.22;
	const font = size * (maskable ? 0.42 : 0.53);
	return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}">
<rect width="${size}" height="${size}" rx="${radius}" fill="#c2410c"/>
<text x="50%" y="50%" dy="0.36em" font-size="${font}" text-anchor="middle" fill="#fff" font-family="sans-serif">行</text></svg>`;
}

const browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
mkdirSync('static/icons', { recursive: true });
for (const [name, size, maskable] of [
	['icon-192.png', 192, false],
	['icon-512.png', 512, false],
	['maskable-512.png', 512, true]
] as const) {
	const page = await browser.newPage({ viewport: { width: size, height: size } });
	await page.setContent(
		`<style>html,body{margin:0;background:transparent}</style>${mark(size, maskable)}`
	);
	await page.screenshot({ path: `static/icons/${name}`, omitBackground: true });
	await page.close();
}
await browser.close();
