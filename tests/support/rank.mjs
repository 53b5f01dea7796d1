// Ranks test files and tests by time from Vitest's and Playwright's JSON reports, and sums the
// assertion counts that COUNT_ASSERTIONS wrote (tests/README.md):
//   node tests/support/rank.mjs --vitest v.json --playwright p.json --counts a.tsv [--top 15]
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const opt = (name) => {
	const i = args.indexOf(`--${name}`);
	return i >= 0 ? args[i + 1] : undefined;
};
const top = Number(opt('top') ?? 15);
const rel = (path) => path.replace(/^.*?\/tests\//, 'tests/');
const seconds = (ms) => (ms / 1000).toFixed(1);

function table(title, rows) {
	console.log(`\n${title}\n`);
	console.log('| s | what |\n| ---: | --- |');
	for (const [ms, what] of rows.sort((x, y) => y[0] - x[0]).slice(0, top)) {
		console.log(`| ${seconds(ms)} | ${what} |`);
	}
}

const vitest = opt('vitest');
if (vitest) {
	const report = JSON.parse(readFileSync(vitest, 'utf8'));
	const files = [];
	const tests = [];
	const byProject = new Map();
	for (const file of report.testResults) {
		const sum = file.assertionResults.reduce((t, a) => t + (a.duration ?? 0), 0);
		files.push([
			file.endTime - file.startTime,
			`${rel(file.name)} (${file.assertionResults.length} tests, ${seconds(sum)} s in tests)`
		]);
		for (const a of file.assertionResults)
			tests.push([a.duration ?? 0, `${rel(file.name)} › ${a.fullName}`]);
	}
	table(`Vitest files (${report.numPassedTests} passed, ${report.numPendingTests} skipped)`, files);
	table('Vitest tests', tests);
	void byProject;
}

const playwright = opt('playwright');
if (playwright) {
	const report = JSON.parse(readFileSync(playwright, 'utf8'));
	const files = new Map();
	const tests = [];
	const walk = (suite) => {
		for (const spec of suite.specs ?? []) {
			for (const t of spec.tests) {
				const ms = t.results.reduce((s, r) => s + r.duration, 0);
				tests.push([ms, `${spec.file} › ${spec.title}`]);
				files.set(spec.file, (files.get(spec.file) ?? 0) + ms);
			}
		}
		for (const child of suite.suites ?? []) walk(child);
	};
	for (const suite of report.suites) walk(suite);
	table(
		`Playwright files (${tests.length} tests, wall ${seconds(report.stats.duration)} s)`,
		[...files].map(([f, ms]) => [ms, f])
	);
	table('Playwright tests', tests);
}

const PROJECTS = new Set(['unit', 'db', 'db-smoke', 'db-pg', 'realtime']);
const counts = opt('counts');
if (counts) {
	for (const file of counts.split(',')) {
		const lines = readFileSync(file, 'utf8')
			.trim()
			.split('\n')
			.map((l) => l.split('\t'));
		const total = lines.reduce((t, l) => t + Number(l[0]), 0);
		// The same test run on two drivers proves one thing twice: count it once (its larger run).
		const distinct = new Map();
		for (const l of lines) {
			// Vitest's lines: count, project, file, test[, ms]; Playwright's: count, file, test, …
			const vitestLine = PROJECTS.has(l[1]);
			const key = (vitestLine ? l.slice(2, 4) : l.slice(1, 3)).join(' › ');
			distinct.set(key, Math.max(distinct.get(key) ?? 0, Number(l[0])));
		}
		const once = [...distinct.values()].reduce((t, n) => t + n, 0);
		console.log(
			`\n${file}: ${lines.length} test runs, ${total} assertions executed; ${distinct.size} distinct tests, ${once} assertions counting each test once`
		);
	}
}
