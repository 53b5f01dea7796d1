// `npm test`: Vitest, then the browser journeys against the built app. The build runs beside
// Vitest, whose database suites spend much of their time waiting on PostgreSQL and so leave a
// core mostly free on a two-core machine; its output is shown when it ends. The messages are
// compiled once first (`npm run i18n`), so neither of the two compiles them (vite.config.ts).
import { spawn } from 'node:child_process';

/**
 * @param {string} command @param {string[]} args
 * @param {{ quiet?: boolean, env?: Record<string, string> }} [options]
 */
function run(command, args, { quiet = false, env = {} } = {}) {
	const started = Date.now();
	return new Promise((resolve) => {
		const child = spawn(command, args, {
			stdio: quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit',
			env: { ...process.env, ...env }
		});
		/** @type {Buffer[]} */
		const output = [];
		child.stdout?.on('data', (chunk) => output.push(chunk));
		child.stderr?.on('data', (chunk) => output.push(chunk));
		child.on('close', (code, signal) =>
			resolve({
				ok: code === 0,
				what: `${command} ${args.join(' ')}: ${signal ?? `exit ${code}`} after ${Math.round((Date.now() - started) / 1000)} s`,
				output: Buffer.concat(output).toString()
			})
		);
	});
}

/** @param {{ ok: boolean, what: string }} result */
function stopUnless(result) {
	if (result.ok) return;
	console.error(`\nnpm test: ${result.what}`);
	process.exit(1);
}

stopUnless(await run('npm', ['run', 'i18n']));
const [unit, build] = await Promise.all([
	run('npx', ['vitest', 'run']),
	// Its own SvelteKit folder: Vitest's dev-mode files in .svelte-kit must not be overwritten
	// by a build's, nor the reverse (svelte.config.js).
	run('npm', ['run', 'build'], { quiet: true, env: { SVELTEKIT_OUT_DIR: '.svelte-kit-build' } })
]);
console.log(`\n--- npm run build (beside Vitest)\n${build.output}${build.what}`);
stopUnless(unit);
stopUnless(build);
stopUnless(await run('node', ['scripts/ensure-browser.js']));
stopUnless(await run('npx', ['playwright', 'test']));
