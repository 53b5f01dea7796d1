// `use:enhance` and `applyAction` that leave focus where the person has it. SvelteKit's
// applyAction moves focus to the page after every successful action, as a freshly loaded page
// would have it; but an enhanced form answers while the person is already elsewhere on the
// same page (typing the next task while the last one is saved, its invalidateAll still
// loading), and moving focus then drops what they type next and closes a phone's keyboard.
// A keyboard or screen-reader user who pressed the button stays beside it, and hears the
// answer through the form's live region.
import { applyAction as kitApplyAction, enhance as kitEnhance } from '$app/forms';
import { invalidateAll } from '$app/navigation';
import type { ActionResult, SubmitFunction } from '@sveltejs/kit';

/**
 * SvelteKit's applyAction; after a success, focus goes back to the element that had it just
 * before, when that element is still on the page (a form that removed it leaves focus where
 * SvelteKit put it).
 */
export async function applyAction(result: ActionResult): Promise<void> {
	const had = document.activeElement;
	await kitApplyAction(result);
	if (
		result.type === 'success' &&
		had instanceof HTMLElement &&
		had !== document.body &&
		had.isConnected &&
		document.activeElement !== had
	) {
		had.focus({ preventScroll: true });
	}
}

/**
 * SvelteKit's enhance with this module's applyAction. Its `update` does what SvelteKit's own
 * does (reset the form and reload every load after a success, then apply the answer when the
 * action is this page's, a redirect or an error), with focus kept as above.
 */
export function enhance<
	Success extends Record<string, unknown> | undefined,
	Failure extends Record<string, unknown> | undefined
>(form: HTMLFormElement, submit: SubmitFunction<Success, Failure> = () => {}) {
	return kitEnhance<Success, Failure>(form, async (input) => {
		const callback = await submit(input);
		return async (answer) => {
			const { action, result } = answer;
			const update: typeof answer.update = async (options) => {
				if (result.type === 'success') {
					if (options?.reset !== false) HTMLFormElement.prototype.reset.call(form);
					if (options?.invalidateAll !== false) await invalidateAll();
				}
				if (
					location.origin + location.pathname === action.origin + action.pathname ||
					result.type === 'redirect' ||
					result.type === 'error'
				) {
					await applyAction(result);
				}
			};
			if (callback) await callback({ ...answer, update });
			else await update();
		};
	});
}
