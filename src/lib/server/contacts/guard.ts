// Wrong tokens are rate-limited per address (bucket contactLink); only failures count, so a
// contact who opens the page again and again is never locked out by their own visits.
import * as rateLimit from '../auth/rate-limit';
import { NotFound } from '../errors';

export async function withLinkLimit<T>(
	ip: string,
	fn: () => Promise<T>,
	options: rateLimit.RateLimitOptions = {}
): Promise<T> {
	if (await rateLimit.isLimited('contactLink', ip, options)) {
		await rateLimit.consume('contactLink', ip, options);
	}
	try {
		return await fn();
	} catch (err) {
		// Unknown tokens are guesses; a revoked or expired link is a real one and says so.
		if (err instanceof NotFound) await rateLimit.hit('contactLink', ip, options);
		throw err;
	}
}
