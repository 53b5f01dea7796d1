// `use:enhance` for the forms whose command may wait on the phone: every sending carries a new
// idempotency key; when the network does not take it (no connection, the server unreachable)
// the form goes into the outbox instead of the error page, and the page says so.
import type { SubmitFunction } from '@sveltejs/kit';
import type { OutboxKind } from './outbox';
import type { OutboxState } from './outbox-state.svelte';
import { isNetworkFailure, type ActionAnswer } from './send';

export interface Queueable {
	outbox: OutboxState;
	eventId: string;
	kind: OutboxKind;
	/** What the list shows beside the kind (a code, a member's name). */
	label?: (fields: Record<string, string>) => Record<string, string>;
	/** Told when the form was kept in the outbox rather than sent. */
	onQueued?: () => void;
	/**
	 * When the person acted, on the phone's clock, if before pressing the button: a QR code is
	 * read when its link opens the page, and that is the moment its code must have been valid.
	 */
	actedAt?: () => number;
	/**
	 * A live page that shows the result itself (from the hint, or a narrow read): told on success
	 * instead of reloading every load of the page.
	 */
	onSuccess?: () => void;
}

function fieldsOf(data: FormData): Record<string, string> {
	const fields: Record<string, string> = {};
	for (const [name, value] of data) if (typeof value === 'string') fields[name] = value;
	return fields;
}

export function queueable(spec: Queueable): SubmitFunction {
	return ({ formData, action, cancel, formElement }) => {
		const key = crypto.randomUUID();
		const savedAt = spec.actedAt?.() ?? Date.now();
		const fields = fieldsOf(formData);
		formData.set('outboxKey', key);
		const keep = async () => {
			await spec.outbox.add({
				key,
				eventId: spec.eventId,
				kind: spec.kind,
				label: spec.label?.(fields) ?? {},
				action: action.pathname + action.search,
				fields,
				savedAt
			});
			// Kept safely: the form is cleared as a sent one would be, and the list shows it.
			formElement.reset();
			document.getElementById('outbox')?.scrollIntoView({ block: 'nearest' });
			spec.onQueued?.();
		};
		if (!navigator.onLine) {
			cancel();
			void keep();
			return;
		}
		return async ({ result, update }) => {
			if (isNetworkFailure(result as ActionAnswer)) await keep();
			else if (result.type === 'success' && spec.onSuccess) {
				await update({ invalidateAll: false });
				spec.onSuccess();
			} else await update();
		};
	};
}
