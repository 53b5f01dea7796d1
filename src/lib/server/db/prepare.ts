// Drizzle runs every query with `prepare: false` unless it was built with `.prepare(name)`.
// postgres.js must then ask the server for the parameters' types before it can send them: two
// round trips for every query with parameters, and the queries of a transaction never share a
// round trip (pipelining). Where prepared statements are allowed (not behind a transaction
// pooler), the client handed to Drizzle lets postgres.js prepare each distinct statement once
// per connection instead: one round trip per query, and the queries a transaction sends
// together share one. A statement whose cached plan went stale (a migration altered its table)
// is prepared again by postgres.js.
//
// Outside a transaction a query still takes a pooled connection to itself, as it did unprepared
// (postgres.js then counted it as not yet described). postgres.js 3.4.9 may otherwise send a
// `BEGIN` behind other queries on a busy connection and, when that connection's write buffer is
// full, skip reserving it for the transaction: UNSAFE_TRANSACTION, or worse
// (porsager/postgres#823, #1189).
type Fn = (...args: unknown[]) => unknown;

const alone = () => false;

/** `sql` (a postgres.js client, or inside: a transaction or savepoint) preparing every query. */
export function preparingAll<S extends object>(sql: S, inside = false): S {
	return new Proxy(sql, {
		get(target, prop, receiver) {
			const own = Reflect.get(target, prop, receiver) as unknown;
			switch (prop) {
				case 'unsafe':
					return (query: string, params?: unknown[], options?: object) =>
						(own as Fn).call(target, query, params, {
							...options,
							prepare: true,
							...(inside ? {} : { onexecute: alone })
						});
				case 'begin':
				case 'savepoint':
					// The transaction's (or savepoint's) own client is the callback's argument.
					return (...args: unknown[]) => {
						const fn = args.pop() as (tx: object) => unknown;
						return (own as Fn).call(target, ...args, (tx: object) => fn(preparingAll(tx, true)));
					};
				default:
					return own;
			}
		}
	});
}
