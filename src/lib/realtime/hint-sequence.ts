// The versions of one topic's hints as a live page sees them: numbered 1, 2, 3… in commit order
// (merged hints carry `[first, last]`), they may arrive out of order or twice. Plain TypeScript:
// the task board and the attendance board use it in the browser, the benchmark's phones in Node.
//
// `version` is how far every hint is shown (or covered by a fetch). A version skipped that does
// not arrive within `gapWaitMs` means a hint was lost: `onGap` runs once for it (a resync).

export class HintSequence {
	/** Every hint up to this version is shown (or was covered by a fetch). */
	version: number;
	/** Versions seen beyond `version + 1`, waiting for the gap to close. */
	#ahead: [number, number][] = [];
	#gapTimer: ReturnType<typeof setTimeout> | null = null;
	#closed = false;

	constructor(
		version: number,
		private readonly onGap: () => void,
		private readonly gapWaitMs = 500
	) {
		this.version = version;
	}

	/** Already shown: a duplicate, or older than what a fetch gave. */
	isOld(range: [number, number] | null): boolean {
		return range !== null && range[1] <= this.version;
	}

	/** Records a version seen. */
	advance(range: [number, number] | null): void {
		if (!range || range[1] <= this.version) return;
		this.#ahead.push(range);
		this.#ahead.sort((a, b) => a[0] - b[0]);
		this.#absorb();
	}

	/** A full read at `version` covers every hint up to it (a resync). */
	covered(version: number): void {
		if (version <= this.version) return;
		this.version = version;
		this.#absorb();
	}

	close(): void {
		this.#closed = true;
		if (this.#gapTimer) clearTimeout(this.#gapTimer);
		this.#gapTimer = null;
	}

	#absorb(): void {
		while (this.#ahead.length > 0 && this.#ahead[0][0] <= this.version + 1) {
			this.version = Math.max(this.version, this.#ahead.shift()![1]);
		}
		this.#ahead = this.#ahead.filter(([, last]) => last > this.version);
		if (this.#ahead.length === 0) {
			if (this.#gapTimer) clearTimeout(this.#gapTimer);
			this.#gapTimer = null;
		} else if (!this.#gapTimer && !this.#closed) {
			this.#gapTimer = setTimeout(() => {
				this.#gapTimer = null;
				if (this.#ahead.length > 0) this.onGap();
			}, this.gapWaitMs);
		}
	}
}
