// `npm test`: Vitest, and the browser journeys against the built app. The build runs beside
// Vitest, whose database suites spend much of their time waiting on PostgreSQL and so leave a
// core mostly free on a two-core machine; the browser journeys start as soon as the build is
// done, still beside Vitest, and their output is held back until Vitest's has been printed.
// The messages are compiled once first (`npm run i18n`), so neither of the two compiles them
// (vite.config.ts).
import { spawn } from 'node:child_process';

/**
 * @param {string} command @param {string[]} args
 * @param {{ quiet?: boolean, env?: Record<string, string> }} [options]
 */
function start(command, args, { quiet = false, env = {} } = {}) {
	const started = Date.now();
	const child = spawn(command, args, {
		stdio: quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit',
		env: { ...process.env, ...env }
	});
	/** @type {Buffer[]} */
	const held = [];
	/** @type {((chunk: Buffer) => void) | null} */
	let forward = null;
	const take = (/** @type {Buffer} */ chunk) => (forward ? forward(chunk) : held.push(chunk));
	child.stdout?.on('data', take);
	child.stderr?.on('data', take);
	/** @type {Promise<{ ok: boolean, what: string }>} */
	const done = new Promise((resolve) =>
		child.on('close', (code, signal) =>
			resolve({
				ok: code === 0,
				what: `${command} ${args.join(' ')}: ${signal ?? `exit ${code}`} after ${Math.round((Date.now() - started) / 1000)} s`
			})
		)
	);
	return {
		child,
		done,
		/** What it printed so far, as one string (and nothing more is kept). */
		output: () => Buffer.concat(held.splice(0)).toString(),
		/** Prints what it held back, then passes on what it prints from now on. */
		release() {
			process.stdout.write(Buffer.concat(held.splice(0)));
			forward = (chunk) => process.stdout.write(chunk);
		}
	};
}

/** @param {{ ok: boolean, what: string }} result @param {{ child: import('node:child_process').ChildProcess }[]} others */
function stopUnless(result, others = []) {
	if (result.ok) return;
	console.error(`\nnpm test: ${result.what}`);
	for (const other of others) other.child.kill('SIGTERM');
	process.exit(1);
}

stopUnless(await start('npm', ['run', 'i18n']).done);
const unit = start('npx', ['vitest', 'run']);
// Its own SvelteKit folder: Vitest's dev-mode files in .svelte-kit must not be overwritten by a
// build's, nor the reverse (svelte.config.js).
const build = start('npm', ['run', 'build'], {
	quiet: true,
	env: { SVELTEKIT_OUT_DIR: '.svelte-kit-build' }
});

/** The browser journeys, once the build and a browser are there; null when either failed. */
const browser = build.done.then(async (built) => {
	const buildOutput = build.output();
	if (!built.ok) return { built, buildOutput, journeys: null };
	const ensure = start('node', ['scripts/ensure-browser.js'], { quiet: true });
	const found = await ensure.done;
	if (!found.ok)
		return { built: found, buildOutput: buildOutput + ensure.output(), journeys: null };
	return { built, buildOutput, journeys: start('npx', ['playwright', 'test'], { quiet: true }) };
});

const unitResult = await unit.done;
const { built, buildOutput, journeys } = await browser;
console.log(`\n--- npm run build (beside Vitest)\n${buildOutput}${built.what}`);
stopUnless(unitResult, journeys ? [journeys] : []);
stopUnless(built);
if (!journeys) throw new Error('unreachable: the browser journeys start whenever the build did');
console.log('\n--- npx playwright test (started beside Vitest once the build was done)');
journeys.release();
stopUnless(await journeys.done);
