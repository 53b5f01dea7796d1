// The results: JSON with the machine's facts, and a Markdown table per section.
import { execFileSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import type { BenchRow, BenchSection } from '../lib/types';

export interface Machine {
	cpuModel: string;
	cpuCount: number;
	memoryGb: number;
	node: string;
	date: string;
	commit: string;
	/** 1-minute load average when the run started: other work on the machine skews figures. */
	loadAtStart: number;
}

export interface Results {
	smoke: boolean;
	machine: Machine;
	durationSeconds: number;
	sections: BenchSection[];
	/** Scenarios that threw: their message. */
	errors: { scenario: string; message: string }[];
}

function git(...args: string[]): string {
	try {
		return execFileSync('git', args, { encoding: 'utf8' }).trim();
	} catch {
		return 'unknown';
	}
}

export function machineFacts(): Machine {
	const cores = cpus();
	const dirty = git('status', '--porcelain', '--untracked-files=no') !== '';
	return {
		cpuModel: cores[0]?.model.trim() ?? 'unknown',
		cpuCount: cores.length,
		memoryGb: Math.round(totalmem() / 2 ** 30),
		node: process.version,
		date: new Date().toISOString(),
		commit: git('rev-parse', '--short', 'HEAD') + (dirty ? '+changes' : ''),
		loadAtStart: Number(loadavg()[0].toFixed(2))
	};
}

const cell = (value: unknown) => (value === undefined ? '' : String(value).replace(/\|/g, '\\|'));

function cells(r: BenchRow): string[] {
	const value = `${r.value} ${r.unit}`.trim();
	const floor = r.floor === undefined ? '' : `${r.floor} ${r.unit}`.trim();
	const pass = r.pass === undefined ? '' : r.pass ? 'yes' : '**no**';
	return [cell(r.metric), cell(value), cell(floor), cell(r.ratio), cell(r.target), pass];
}

const row = (r: BenchRow) => `| ${cells(r).join(' | ')} |`;

/** The run's one line: when, where, which commit. */
function runLine(results: Results): string {
	const m = results.machine;
	return (
		`Run ${m.date} on ${m.cpuCount} × ${m.cpuModel}, ${m.memoryGb} GB, Node ${m.node}, ` +
		`commit ${m.commit}, load ${m.loadAtStart} at start; ${results.durationSeconds} s` +
		(results.smoke ? ' (smoke sizes: figures mean nothing)' : '') +
		'.'
	);
}

const README_START = '<!-- bench table: written by `npm run bench` -->';
const README_END = '<!-- end of bench table -->';

/**
 * The README's Performance table: every row of every section, one table, between the two
 * markers (a full run rewrites it, so the README never shows figures of an older run).
 */
export function withReadmeTable(readme: string, results: Results): string {
	const start = readme.indexOf(README_START);
	const end = readme.indexOf(README_END);
	if (start < 0 || end < start) throw new Error('README.md has no bench table markers');
	const lines = [
		README_START,
		'',
		runLine(results),
		'',
		'| scenario | metric | value | floor | ratio | target | met |',
		'| --- | --- | --- | --- | --- | --- | --- |',
		...results.sections.flatMap((s) =>
			s.rows.map((r) => `| ${[cell(s.name), ...cells(r)].join(' | ')} |`)
		),
		''
	];
	return readme.slice(0, start) + lines.join('\n') + readme.slice(end);
}

export function toMarkdown(results: Results): string {
	const m = results.machine;
	const lines = [runLine(results), ''];
	if (m.loadAtStart > m.cpuCount) {
		lines.push(
			`The machine was busy (load ${m.loadAtStart} on ${m.cpuCount} cores, other work running): ` +
				'absolute figures are low and noisy; the ratios to floors measured in the same run ' +
				'are the more useful part.',
			''
		);
	}
	for (const section of results.sections) {
		lines.push(`### ${section.name}`, '');
		const settings = Object.entries(section.settings)
			.map(([k, v]) => `${k}: ${v}`)
			.join(', ');
		if (settings) lines.push(`Settings: ${settings}.`, '');
		if (section.rows.length > 0) {
			lines.push('| metric | value | floor | ratio | target | pass |');
			lines.push('| --- | --- | --- | --- | --- | --- |');
			for (const r of section.rows) lines.push(row(r));
			lines.push('');
		}
		for (const note of section.notes) lines.push(`- ${note}`);
		if (section.notes.length > 0) lines.push('');
	}
	for (const error of results.errors) {
		lines.push(`**${error.scenario} failed:** ${error.message}`, '');
	}
	return lines.join('\n');
}
