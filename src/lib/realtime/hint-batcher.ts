// What a live page does with the hints of its topic: gather their kinds and reload at most once
// per `ms` for all of them together. One hint usually names several kinds (a claim names
// `tasks` and `signups`), and a page depends on most of them: a throttle per kind would reload
// the page once per kind. Plain TypeScript, no Svelte: the fan-out benchmark's refetching
// clients run this very code (bench/fanout/load.ts).

const KIND = /^[a-z_]+$/;

export interface HintBatcher {
	/** Adds the kinds of one hint; anything that is not a plain kind name is ignored. */
	add(kinds: unknown): void;
	/** Drops what is gathered and any reload still waiting. */
	close(): void;
}

/**
 * `flush(kinds)` runs at once for the first hint, then at most once per `ms`: hints arriving
 * meanwhile are gathered and flushed together when the interval has passed.
 */
export function hintBatcher(flush: (kinds: string[]) => void, ms: number): HintBatcher {
	const pending = new Set<string>();
	let last = -Infinity;
	let timer: ReturnType<typeof setTimeout> | null = null;
	const run = () => {
		timer = null;
		last = Date.now();
		const kinds = [...pending];
		pending.clear();
		if (kinds.length > 0) flush(kinds);
	};
	return {
		add(kinds) {
			if (!Array.isArray(kinds)) return;
			let added = false;
			for (const kind of kinds) {
				if (typeof kind === 'string' && KIND.test(kind)) {
					pending.add(kind);
					added = true;
				}
			}
			if (!added || timer) return;
			const wait = last + ms - Date.now();
			if (wait <= 0) run();
			else timer = setTimeout(run, wait);
		},
		close() {
			if (timer) clearTimeout(timer);
			timer = null;
			pending.clear();
		}
	};
}
