// What several hooks ask of a request.

/** The realtime endpoint authenticates by apikey and bearer JWT only, never by cookie. */
export const isRealtimePath = (pathname: string) => pathname.startsWith('/realtime/v1/');

export const UNSAFE_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
