// The keys of the compiled message catalogue, as types: code that names a message by its key
// (a domain error's code, a schema's message) takes these, so a misspelt key fails
// `npm run check` (tests/unit/message-keys.test.ts). Types only: nothing reaches a bundle.
import type * as catalogue from '$lib/paraglide/messages';

/** A key of messages/*.json as `npm run i18n` compiled it. */
export type MessageKey = Exclude<keyof typeof catalogue, 'm'>;

type WithoutErrorPrefix<K> = K extends `error_${infer Rest}` ? Rest : never;
/** A message key, or one that `error_` in front makes one (`not_found` → `error_not_found`). */
export type ErrorCode = MessageKey | WithoutErrorPrefix<MessageKey>;
