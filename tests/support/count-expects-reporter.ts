// A Playwright reporter: with COUNT_ASSERTIONS=<file>, writes each test's number of `expect`
// calls to that file (one line per test), so that a change to the suite can show it proves
// no less (tests/README.md).
import { appendFileSync } from 'node:fs';
import type { Reporter, TestCase, TestResult, TestStep } from '@playwright/test/reporter';

export default class CountExpects implements Reporter {
	private counts = new Map<TestCase, number>();

	onStepEnd(test: TestCase, _result: TestResult, step: TestStep) {
		if (step.category === 'expect') this.counts.set(test, (this.counts.get(test) ?? 0) + 1);
	}

	onTestEnd(test: TestCase, result: TestResult) {
		const file = process.env.COUNT_ASSERTIONS;
		if (!file) return;
		const where = `${test.location.file.split('/tests/e2e/')[1] ?? test.location.file}`;
		appendFileSync(
			file,
			`${this.counts.get(test) ?? 0}\t${where}\t${test.title}\t${result.status}\t${result.duration}\n`
		);
	}
}
