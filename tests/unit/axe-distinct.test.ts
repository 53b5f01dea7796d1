// The e2e suite scans each distinct page once (tests/e2e/axe.ts): what counts as distinct.
import { describe, expect, it } from 'vitest';
import { distinctPage, type PageState } from '../e2e/axe';

const id = '0b9c6a1e-4a9f-4f3e-9d7a-2a1b3c4d5e6f';
const other = '7f0e2d3c-1b2a-4c5d-8e9f-0a1b2c3d4e5f';
const state = (over: Partial<PageState> = {}): PageState => ({
	url: `http://localhost:4174/teams/${id}/events/${other}/tasks`,
	viewportWidth: 412,
	actions: ['?/claim', '?/claim', '?/withdraw'],
	alerts: false,
	invalid: false,
	dialog: false,
	...over
});

describe('distinctPage', () => {
	it('is the same page whatever the ids, the query values or repeated forms', () => {
		const a = distinctPage(state({ url: `${state().url}?kind=show` }));
		const b = distinctPage(
			state({
				url: `http://localhost:4175/teams/${other}/events/${id}/tasks?kind=tutoring`,
				actions: ['?/withdraw', '?/claim']
			})
		);
		expect(a).toBe(b);
		expect(distinctPage(state({ url: 'http://x/c/abcdefghijklmnopqrstuvwxyz234567' }))).toBe(
			distinctPage(state({ url: 'http://x/c/zzzzzzzzzzzzzzzzzzzzzzzzzzzzzz22' }))
		);
	});

	it('tells apart other routes, query keys, layouts, roles and alert or error states', () => {
		const base = distinctPage(state());
		const others = [
			state({ url: state().url.replace('/tasks', '/me') }),
			state({ url: `${state().url}?view=wall` }),
			state({ viewportWidth: 1280 }),
			state({ actions: ['?/claim', '?/withdraw', '?/createTask'] }),
			state({ alerts: true }),
			state({ invalid: true }),
			state({ dialog: true })
		].map(distinctPage);
		for (const key of others) expect(key).not.toBe(base);
		expect(new Set(others).size).toBe(others.length);
	});
});
