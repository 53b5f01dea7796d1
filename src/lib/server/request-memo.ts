// Per-request memos for the loads of one page: the layouts' and the page's loads run in
// parallel and each checks the actor's access to the event; with the same memo the check runs
// once. Keyed on the request's `locals` object, so nothing outlives the request or crosses to
// another one.
import type { AccessMemo } from './events/access';

const memos = new WeakMap<App.Locals, AccessMemo>();

export function accessMemo(locals: App.Locals): AccessMemo {
	let memo = memos.get(locals);
	if (!memo) {
		memo = new Map();
		memos.set(locals, memo);
	}
	return memo;
}
