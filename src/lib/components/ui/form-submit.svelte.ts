import type { ActionResult, SubmitFunction } from '@sveltejs/kit';

type UpdateOptions = { reset?: boolean; invalidateAll?: boolean };

/** For edit forms: after sending, the inputs keep what was typed instead of clearing. */
export const keepValues: SubmitFunction =
	() =>
	({ update }) =>
		update({ reset: false });

/**
 * Whether a page's forms are on their way, so their buttons can be disabled meanwhile (a
 * second tap on a slow connection would send twice). One instance may serve several forms.
 */
export class Pending {
	isPending = $state(false);

	/** `options` say how the answer is shown (from the result, where it depends on it);
	 * with `question`, the form asks first and sends only if the person agrees. */
	submit =
		(
			options: UpdateOptions | ((result: ActionResult) => UpdateOptions) = {},
			question?: string
		): SubmitFunction =>
		({ cancel }) => {
			if (question && !confirm(question)) {
				cancel();
				return;
			}
			this.isPending = true;
			return async ({ result, update }) => {
				await update(typeof options === 'function' ? options(result) : options);
				this.isPending = false;
			};
		};
}
