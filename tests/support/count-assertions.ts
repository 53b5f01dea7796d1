// With COUNT_ASSERTIONS=<file>, each test appends its number of `expect` calls to that file,
// so that a change to the suite can show it proves no less (tests/README.md).
import { appendFileSync } from 'node:fs';
import { afterEach, beforeEach, expect } from 'vitest';

const file = process.env.COUNT_ASSERTIONS;
if (file) {
	let started = 0;
	beforeEach(() => {
		started = performance.now();
	});
	afterEach((context) => {
		appendFileSync(
			file,
			`${expect.getState().assertionCalls}\t${context.task.file.projectName ?? ''}\t${context.task.file.name}\t${context.task.name}\t${Math.round(performance.now() - started)}\n`
		);
	});
}
