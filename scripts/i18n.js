// Compiles the message catalogues with Paraglide, offline, and fails when the output is empty:
// with an unreachable plugin URL Paraglide only warns, exits 0 and emits no messages.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const STRATEGY = ['cookie', 'preferredLanguage', 'baseLocale'];
const outdir = './src/lib/paraglide';

// What the output depends on: the catalogues, the project's settings, this script and the
// compiler's version. A run whose inputs match the last one's output skips the compile (a CI
// run would otherwise compile the same catalogue at install, check, test and build).
const inputs = createHash('sha256');
for (const file of [
	...readdirSync('./messages')
		.filter((f) => f.endsWith('.json'))
		.sort()
		.map((f) => join('./messages', f)),
	'./project.inlang/settings.json',
	'./scripts/i18n.js',
	'./node_modules/@inlang/paraglide-js/package.json'
]) {
	inputs.update(file).update(readFileSync(file));
}
const stamp = join(outdir, '.inputs-sha256');
const fingerprint = inputs.digest('hex');
const upToDate = existsSync(stamp) && readFileSync(stamp, 'utf8') === fingerprint;

if (!upToDate) {
	const { compile } = await import('@inlang/paraglide-js');
	await compile({
		project: './project.inlang',
		outdir,
		strategy: STRATEGY,
		emitGitIgnore: true,
		emitPrettierIgnore: true,
		emitReadme: false,
		emitTsDeclarations: false
	});
}

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
if (!upToDate) writeFileSync(stamp, fingerprint);
