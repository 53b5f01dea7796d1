// Standalone run of the fan-out scenario: `tsx bench/fanout/cli.ts [--smoke]` after
// `npm run build`. Re-executes itself under `ulimit -n 65536` (or the hard limit, when lower)
// so that a thousand sockets fit, then prints the sections as JSON and as a table.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { runFanout } from './index';
import type { BenchSection } from '../lib/types';

const root = resolve(import.meta.dirname, '../..');

function table(sections: BenchSection[]): string {
	const lines: string[] = [];
	for (const s of sections) {
		lines.push(`\n## ${s.name}`);
		lines.push(
			Object.entries(s.settings)
				.map(([k, v]) => `${k}: ${v}`)
				.join(', ')
		);
		lines.push('| metric | value | floor | ratio | target | pass |');
		lines.push('| --- | --- | --- | --- | --- | --- |');
		for (const r of s.rows) {
			const pass = r.pass === undefined ? '' : r.pass ? 'yes' : 'NO';
			lines.push(
				`| ${r.metric} | ${r.value} ${r.unit} | ${r.floor ?? ''} | ${r.ratio ?? ''} | ${r.target ?? ''} | ${pass} |`
			);
		}
		for (const n of s.notes) lines.push(`- ${n}`);
	}
	return lines.join('\n');
}

if (!process.env.FANOUT_ULIMIT_RAISED) {
	const args = process.argv
		.slice(2)
		.map((a) => `'${a.replace(/'/g, '')}'`)
		.join(' ');
	const tsx = resolve(root, 'node_modules/.bin/tsx');
	const result = spawnSync(
		'sh',
		[
			'-c',
			`ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"; exec "${tsx}" bench/fanout/cli.ts ${args}`
		],
		{ cwd: root, stdio: 'inherit', env: { ...process.env, FANOUT_ULIMIT_RAISED: '1' } }
	);
	process.exit(result.status ?? 1);
} else {
	const smoke = process.argv.includes('--smoke');
	const started = performance.now();
	const sections = await runFanout({
		smoke,
		log: (line) => console.error(`[${((performance.now() - started) / 1000).toFixed(1)} s] ${line}`)
	});
	console.log(JSON.stringify(sections, null, '\t'));
	console.log(table(sections));
	console.error(`fan-out done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
	process.exit(0);
}
