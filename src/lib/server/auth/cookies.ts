// The app's own cookies (session, device). `__Host-` makes the browser insist on Secure, Path=/
// and no Domain, so a sibling subdomain cannot plant or shadow them; it is only possible over
// https.
import type { Cookies } from '@sveltejs/kit';

export interface CookieEvent {
	cookies: Cookies;
	url: URL;
}

export function hostCookieName(url: URL, name: string): string {
	return url.protocol === 'https:' ? `__Host-${name}` : name;
}

/** HttpOnly, SameSite=Lax, the whole site, Secure over https. */
export function hostCookieOptions(url: URL, expires?: Date) {
	return {
		httpOnly: true,
		sameSite: 'lax' as const,
		path: '/',
		secure: url.protocol === 'https:',
		...(expires ? { expires } : {})
	};
}
