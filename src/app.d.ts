import type { Locale } from '$lib/paraglide/runtime';
import type { Session, SessionUser } from '$lib/server/auth/session';

declare global {
	namespace App {
		interface Error {
			message: string;
			id?: string;
		}
		interface Locals {
			requestId: string;
			locale: Locale;
			/** Set by the session handle on every request; null when not signed in. */
			user: SessionUser | null;
			session: Session | null;
		}
		// interface PageData {}
		// interface PageState {}
		// interface Platform {}
	}
}

export {};
