// Drizzle runs every query with `prepare: false` unless it was built with `.prepare(name)`.
// postgres.js must then ask the server for the parameters' types before it can send them: two
// round trips for every query with parameters, and the queries of a transaction never share a
// round trip (pipelining). Where prepared statements are allowed (not behind a transaction
// pooler), the client handed to Drizzle lets postgres.js prepare each distinct statement once
// per connection instead: one round trip per query, and queries sent together share one. A
// statement whose cached plan went stale (a migration altered its table) is prepared again by
// postgres.js.
type Fn = (...args: unknown[]) => unknown;

/** `sql` (a postgres.js client, transaction or savepoint) with every query prepared. */
export function preparingAll<S extends object>(sql: S): S {
	return new Proxy(sql, {
		get(target, prop, receiver) {
			const own = Reflect.get(target, prop, receiver) as unknown;
			switch (prop) {
				case 'unsafe':
					return (query: string, params?: unknown[], options?: object) =>
						(own as Fn).call(target, query, params, { ...options, prepare: true });
				case 'begin':
				case 'savepoint':
					// The transaction's (or savepoint's) own client is the last argument's argument.
					return (...args: unknown[]) => {
						const fn = args.pop() as (tx: object) => unknown;
						return (own as Fn).call(target, ...args, (tx: object) => fn(preparingAll(tx)));
					};
				default:
					return own;
			}
		}
	});
}
