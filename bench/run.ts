// `npm run bench`: every scenario in order, then bench/results.json and bench/results.md.
// `npm run bench -- --smoke`: tiny sizes, into a temporary folder; fails on errors only (the
// targets are reported, not enforced). `--only=page-speed,startup` (or `--only opening`) runs
// some scenarios.
// Needs a build (`npm run build`) and PostgreSQL (BENCH_DATABASE_URL, default
// postgres://postgres@127.0.0.1:5432/postgres). The npm scripts raise `ulimit -n` first.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as prettier from 'prettier';
import type { BenchOptions, BenchSection } from './lib/types';
import { machineFacts, toMarkdown, withReadmeTable, type Results } from './support/report';
import { runClaimStorm } from './scenarios/claim-storm';
import { runFanout } from './fanout/index';
import { runPageSpeed } from './scenarios/page-speed';
import { runPageWeight } from './scenarios/page-weight';
import { runStartup } from './scenarios/startup';
import { runOpening } from './scenarios/opening';

interface Scenario {
	name: string;
	run(options: BenchOptions): Promise<BenchSection[]>;
}

const SCENARIOS: Scenario[] = [
	{ name: 'claim-storm', run: runClaimStorm },
	{ name: 'fanout', run: runFanout },
	{ name: 'opening', run: runOpening },
	{ name: 'page-speed', run: runPageSpeed },
	{ name: 'page-weight', run: runPageWeight },
	{ name: 'startup', run: runStartup }
];

/** `--name=value` or `--name value`. */
function argument(name: string): string | undefined {
	const prefix = `--${name}=`;
	const joined = process.argv.find((a) => a.startsWith(prefix));
	if (joined) return joined.slice(prefix.length);
	const at = process.argv.indexOf(`--${name}`);
	return at >= 0 ? process.argv[at + 1] : undefined;
}

const smoke = process.argv.includes('--smoke');
const only = argument('only')?.split(',');
const unknown = only?.filter((n) => !SCENARIOS.some((s) => s.name === n)) ?? [];
if (unknown.length > 0) {
	console.error(`Unknown scenario ${unknown.join(', ')}; known: ${SCENARIOS.map((s) => s.name)}`);
	process.exit(2);
}
const root = resolve(import.meta.dirname, '..');
if (!existsSync(join(root, 'build/handler.js'))) {
	console.error('No build found: run `npm run build` first.');
	process.exit(2);
}
const outDir = resolve(
	argument('out') ??
		(smoke || only ? mkdtempSync(join(tmpdir(), 'tongxing-bench-')) : join(root, 'bench'))
);
mkdirSync(outDir, { recursive: true });

const started = performance.now();
const log = (line: string) =>
	console.log(`[${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s] ${line}`);
const options: BenchOptions = { smoke, log };
const results: Results = {
	smoke,
	machine: machineFacts(),
	durationSeconds: 0,
	sections: [],
	errors: []
};

for (const scenario of SCENARIOS) {
	if (only && !only.includes(scenario.name)) continue;
	log(`▶ ${scenario.name}${smoke ? ' (smoke)' : ''}`);
	const t = performance.now();
	try {
		results.sections.push(...(await scenario.run(options)));
	} catch (err) {
		const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
		log(`✗ ${scenario.name}: ${message}`);
		results.errors.push({ scenario: scenario.name, message: message.split('\n')[0] });
	}
	log(`■ ${scenario.name} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
}

results.durationSeconds = Math.round((performance.now() - started) / 1000);
const markdown = toMarkdown(results);
// Made again: a temporary folder may have been cleaned away during a long run.
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'results.json'), `${JSON.stringify(results, null, '\t')}\n`);
writeFileSync(join(outDir, 'results.md'), `${markdown}\n`);
// A full run into bench/ is the one the README's Performance table shows.
if (!smoke && !only && !argument('out') && results.errors.length === 0) {
	const readme = join(root, 'README.md');
	const text = withReadmeTable(readFileSync(readme, 'utf8'), results);
	const config = (await prettier.resolveConfig(readme)) ?? {};
	writeFileSync(readme, await prettier.format(text, { ...config, filepath: readme }));
}
console.log(`\n${markdown}`);
console.log(`Results in ${join(outDir, 'results.json')} and results.md`);
const missed = results.sections.flatMap((s) => s.rows.filter((r) => r.pass === false));
if (missed.length > 0) console.log(`${missed.length} target(s) missed (reported, not enforced).`);
process.exit(results.errors.length > 0 ? 1 : 0);
