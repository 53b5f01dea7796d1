// A misspelt message key fails `npm run check`: the fixture, compiled with the project's own
// settings beside the app's sources, has errors on exactly its lines marked "wrong key".
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { isErrorCode } from '../../src/lib/server/messages';

const FIXTURE = resolve('tests/fixtures/misspelt-message-key.ts.txt');
// Where the fixture stands for the compiler: inside the tree, so `$lib` resolves as it does for
// the app.
const AS_SOURCE = resolve('tests/fixtures/misspelt-message-key.ts');

function diagnosticsOf(text: string): { line: number; message: string }[] {
	const config = ts.getParsedCommandLineOfConfigFile(
		resolve('tsconfig.json'),
		{},
		{
			...ts.sys,
			onUnRecoverableConfigFileDiagnostic: (d) => {
				throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
			}
		}
	);
	if (!config) throw new Error('tsconfig.json could not be read');
	const host = ts.createCompilerHost(config.options);
	const getSourceFile = host.getSourceFile.bind(host);
	host.getSourceFile = (name, language, ...rest) =>
		resolve(name) === AS_SOURCE
			? ts.createSourceFile(name, text, language)
			: getSourceFile(name, language, ...rest);
	const fileExists = host.fileExists.bind(host);
	host.fileExists = (name) => resolve(name) === AS_SOURCE || fileExists(name);
	const program = ts.createProgram([AS_SOURCE], config.options, host);
	const source = program.getSourceFile(AS_SOURCE);
	if (!source) throw new Error('the fixture was not compiled');
	return [
		...program.getSyntacticDiagnostics(source),
		...program.getSemanticDiagnostics(source)
	].map((d) => ({
		line: source.getLineAndCharacterOfPosition(d.start ?? 0).line + 1,
		message: ts.flattenDiagnosticMessageText(d.messageText, '\n')
	}));
}

describe('message keys', () => {
	it(
		'are checked: a misspelt key is a type error, a right one is not',
		{ timeout: 120_000 },
		() => {
			const text = readFileSync(FIXTURE, 'utf8');
			const marked = text
				.split('\n')
				.flatMap((line, i) => (line.endsWith('// wrong key') ? [i + 1] : []));
			expect(marked).toHaveLength(5);

			const diagnostics = diagnosticsOf(text);
			expect([...new Set(diagnostics.map((d) => d.line))]).toEqual(marked);
			for (const d of diagnostics) expect(d.message).toMatch(/is not assignable to/);
		}
	);

	// Zod types its messages as plain strings, so the schemas' own literals are checked here.
	it('of the input schemas all exist', () => {
		const dir = 'src/lib/schemas';
		const used = readdirSync(dir).flatMap((name) => {
			const text = readFileSync(join(dir, name), 'utf8');
			const messages = text.matchAll(/(?:error|message):\s*'([^']+)'|,\s*'([^']+)'\s*\)/g);
			return [...messages].map((match) => `${name}: ${match[1] ?? match[2]}`);
		});
		expect(used.length).toBeGreaterThan(100);
		expect(used.filter((entry) => !isErrorCode(entry.split(': ')[1]))).toEqual([]);
	});
});
