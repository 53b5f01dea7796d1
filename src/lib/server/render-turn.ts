// Server renders take turns with the rest of the event loop. A page's render (Svelte, devalue,
// the ETag) runs synchronously for several milliseconds once its loads resolve; when fifty
// boards' queries come back together, their renders ran back to back and a realtime hint that
// arrived meanwhile waited for all of them (hundreds of milliseconds). A load that awaits
// `renderTurn()` last renders in a turn of its own: one such render per turn of the loop, and
// between two of them Node polls its sockets, so hints and other requests go out in between.
// Process-wide by nature (it orders work on this process's one event loop); it holds nothing
// about any request but the callback that lets it go on.

const waiting: (() => void)[] = [];
let isScheduled = false;

function releaseOne() {
	waiting.shift()?.();
	if (waiting.length > 0) setImmediate(releaseOne);
	else isScheduled = false;
}

/** Resolves in a later turn of the event loop, one waiting load per turn, in arrival order. */
export function renderTurn(): Promise<void> {
	return new Promise((resolve) => {
		waiting.push(resolve);
		if (!isScheduled) {
			isScheduled = true;
			setImmediate(releaseOne);
		}
	});
}
