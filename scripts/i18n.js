// Compiles the message catalogues with Paraglide, offline, and fails when the output is empty:
// with an unreachable plugin URL Paraglide only warns, exits 0 and emits no messages.
import { compile } from '@inlang/paraglide-js';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

export const STRATEGY = ['cookie', 'preferredLanguage', 'baseLocale'];
const outdir = './src/lib/paraglide';

await compile({
	project: './project.inlang',
	outdir,
	strategy: STRATEGY,
	emitGitIgnore: true,
	emitPrettierIgnore: true,
	emitReadme: false,
	emitTsDeclarations: false
});

const catalogue = JSON.parse(readFileSync('./messages/zh-CN.json', 'utf8'));
const keys = Object.keys(catalogue).filter((k) => !k.startsWith('$'));
const messagesDir = join(outdir, 'messages');
const emitted = existsSync(messagesDir) ? readdirSync(messagesDir) : [];
if (keys.length === 0 || emitted.length < keys.length) {
	console.error(
		`i18n: Paraglide emitted ${emitted.length} message files for ${keys.length} keys in ${messagesDir}. ` +
			'Check that project.inlang/settings.json lists the plugin by its local ./node_modules path.'
	);
	process.exit(1);
}
