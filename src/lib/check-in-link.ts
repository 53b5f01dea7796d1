// What the check-in QR's link carries in its query (`?session=day&code=123456`, or `?ticket=…`
// after signing in). Read by the page's load on the server and again by the page in the browser:
// a phone without a connection opens the page as the service worker kept it, by path alone,
// whose data carry the code of another moment.

export interface CheckInLink {
	code: string | null;
	session: 'day' | 'meeting';
	ticket: string | null;
}

export function readCheckInLink(query: URLSearchParams): CheckInLink {
	const code = query.get('code') ?? '';
	return {
		code: /^\d{6}$/.test(code) ? code : null,
		session: query.get('session') === 'meeting' ? 'meeting' : 'day',
		ticket: query.get('ticket')
	};
}
